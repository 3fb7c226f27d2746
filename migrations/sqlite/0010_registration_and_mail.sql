-- Companies registering themselves, joining their company, their profile; mail delivered by a
-- background sender (sqlite). Keep in step with the postgres 0010_registration_and_mail.sql.

-- A registration waiting for its e-mail address to be confirmed. No account exists before the
-- link is followed: whoever typed someone else's address gets nothing, and the owner of the
-- address, registering again, simply gets a fresh link. The password is stored hashed (Argon2).
create table pending_registrations (
    id integer primary key,
    token_hash text not null unique,
    email text not null,
    display_name text not null,
    password_hash text not null,
    siret text not null,
    company_name text not null,
    created_at bigint not null,
    expires_at bigint not null,
    used_at bigint
);
create index pending_registrations_by_email on pending_registrations (email, created_at);

-- Registrations asked, per address and per e-mail, for throttling.
create table registration_attempts (
    id integer primary key,
    email text not null,
    address text not null,
    attempted_at bigint not null
);
create index registration_attempts_by_email on registration_attempts (email, attempted_at);
create index registration_attempts_by_address on registration_attempts (address, attempted_at);

-- A person who registered with the SIRET of a company already on JeSaisFaire asks to join it;
-- a member of the company decides (never automatic). Until then the account has no company.
create table join_requests (
    id integer primary key,
    user_id bigint not null references users (id),
    organisation_id bigint not null references organisations (id),
    created_at bigint not null,
    decided_at bigint,
    decided_by bigint references users (id),
    accepted bigint
);
create index join_requests_by_organisation on join_requests (organisation_id, decided_at);

-- The company's profile, shown to buyers and reviewers.
alter table organisations add column presentation text not null default '';
alter table organisations add column website text not null default '';

-- Mail delivery. The Message-ID is fixed when the mail is queued: it is the mail's idempotency
-- key (a retry after a crash between the SMTP acceptance and the write of sent_at carries the same
-- Message-ID, which receiving servers and clients use to drop the duplicate). A sender claims a
-- mail until claimed_until, so two app servers never send it at the same time.
alter table outbox add column html_body text not null default '';
alter table outbox add column message_id text not null default '';
alter table outbox add column list_unsubscribe text not null default '';
alter table outbox add column attempts bigint not null default 0;
alter table outbox add column next_attempt_at bigint not null default 0;
alter table outbox add column claimed_until bigint not null default 0;
alter table outbox add column last_error text not null default '';
alter table outbox add column failed_at bigint;
create index outbox_due on outbox (sent_at, failed_at, next_attempt_at);
