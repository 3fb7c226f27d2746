-- Invitations of companies to a consultation carry their state (sqlite): a buyer invites, a member
-- of the company accepts or declines; only an accepted invitation opens a restricted sourcing.
-- Invitations made before (the demo's, the administrator's) stay accepted.
-- Keep in step with the postgres 0011_consultation_invitations.sql.
alter table consultation_invitations add column status text not null default 'accepted'
    check (status in ('pending', 'accepted', 'declined'));
alter table consultation_invitations add column invited_at bigint not null default 0;
alter table consultation_invitations add column invited_by bigint references users (id);
alter table consultation_invitations add column answered_at bigint;
