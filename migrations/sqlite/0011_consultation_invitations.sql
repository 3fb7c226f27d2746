-- Invitations of companies to a consultation carry their state (sqlite): a buyer invites, a member
-- of the company accepts or declines; only an accepted invitation opens a restricted sourcing.
-- Invitations made before (the demo's, the administrator's) stay accepted.
-- Keep in step with the postgres 0011_consultation_invitations.sql.
alter table consultation_invitations add column status text not null default 'accepted'
    check (status in ('pending', 'accepted', 'declined'));
alter table consultation_invitations add column invited_at bigint not null default 0;
alter table consultation_invitations add column invited_by bigint references users (id);
alter table consultation_invitations add column answered_at bigint;

-- A buyer invites by e-mail a company that is not registered yet: the link leads to the
-- registration (its token travels with it, stored hashed), and the company the registration
-- creates or joins is then invited to the consultation.
create table email_invitations (
    id integer primary key,
    consultation_id bigint not null references consultations (id),
    email text not null,
    token_hash text not null unique,
    invited_by bigint not null references users (id),
    invited_at bigint not null,
    expires_at bigint not null,
    used_at bigint,
    organisation_id bigint references organisations (id)
);
create index email_invitations_by_consultation on email_invitations (consultation_id);
alter table pending_registrations add column invitation_token_hash text not null default '';
