-- Security fixes of issue 14 (postgres). Keep in step with the other backend.

-- Agenda subscription links expire (a year after they are created, renewable) and are revoked
-- by a password change or by their owner.
alter table calendar_feeds add column expires_at bigint;
update calendar_feeds set expires_at = created_at + 31536000 where expires_at is null;

-- Secrets the servers share (all app servers of one database sign and verify the same way):
-- the key that authenticates the error of a form posted without JavaScript.
create table server_secrets (
    name text primary key,
    value text not null,
    created_at bigint not null
);
