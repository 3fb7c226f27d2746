-- Accounts, sessions, invitations, outbox, sign-in throttling (sqlite).
-- Keep in step with the other backend's 0002_accounts.sql.

-- Companies: their domains (CPV codes), the départements they serve, SME or not.
alter table organisations add column cpv_codes text not null default '';
alter table organisations add column departements_served text not null default '';
alter table organisations add column is_sme bigint not null default 0;

create table users (
    id integer primary key,
    email text not null unique,            -- lowercased
    display_name text not null,
    password_hash text not null,           -- argon2id, PHC string
    role text not null check (role in ('buyer', 'supplier', 'reviewer', 'admin')),
    organisation_id bigint references organisations (id),
    created_at bigint not null,
    password_changed_at bigint not null
);

-- The buyer organisations whose consultations a reviewer (PFRA) may review.
create table reviewer_organisations (
    user_id bigint not null references users (id),
    organisation_id bigint not null references organisations (id),
    primary key (user_id, organisation_id)
);

-- Only a hash of the session token is stored: a copy of the database opens no session.
create table sessions (
    token_hash text primary key,
    user_id bigint not null references users (id),
    created_at bigint not null,
    expires_at bigint not null
);
create index sessions_by_user on sessions (user_id);

create table invitations (
    token_hash text primary key,
    email text not null,
    role text not null check (role in ('buyer', 'supplier', 'reviewer', 'admin')),
    organisation_id bigint references organisations (id),
    invited_by bigint references users (id),
    created_at bigint not null,
    expires_at bigint not null,
    used_at bigint
);

-- Mails to send; a sender (SMTP, configured later) marks them sent. In development the server
-- logs that a mail is waiting, never its secret link.
create table outbox (
    id integer primary key,
    recipient text not null,
    subject text not null,
    body text not null,
    created_at bigint not null,
    sent_at bigint
);

-- Failed sign-ins, for throttling per account and per address.
create table sign_in_failures (
    id integer primary key,
    account text not null,
    address text not null,
    failed_at bigint not null
);
create index sign_in_failures_by_account on sign_in_failures (account, failed_at);
create index sign_in_failures_by_address on sign_in_failures (address, failed_at);

-- Companies invited to a restricted consultation.
create table consultation_invitations (
    consultation_id bigint not null references consultations (id),
    organisation_id bigint not null references organisations (id),
    primary key (consultation_id, organisation_id)
);
