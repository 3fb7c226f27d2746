-- Minutes of oral exchanges, the dossier's publication and redactions (sqlite), and the access
-- register's new kinds (minutes, dossier).
-- Keep in step with the other backend's 0009_minutes_and_dossier.sql.

-- A meeting or call of the buyer with participating companies.
create table minutes (
    id integer primary key,
    consultation_id bigint not null references consultations (id),
    created_by bigint not null references users (id),
    created_at bigint not null
);
create index minutes_by_consultation on minutes (consultation_id);

-- Its successive wordings. One unpublished revision at most (the draft, changed freely); a
-- published revision is never changed nor deleted (the triggers refuse it): a correction is a
-- new revision with its reason. Companies are pseudonym indexes of the consultation's
-- participants, clauses are clause ids: both JSON arrays, so a revision is one immutable row.
create table minutes_revisions (
    id integer primary key,
    minutes_id bigint not null references minutes (id),
    revision bigint not null,
    held_at bigint not null,
    duration_minutes bigint not null,
    mode text not null check (mode in ('on_site', 'phone', 'video')),
    companies text not null,
    agents text not null,
    body text not null,
    clause_ids text not null,
    reason text not null default '',
    written_by bigint not null references users (id),
    written_at bigint not null,
    published_at bigint,
    unique (minutes_id, revision)
);
create trigger minutes_published_no_update before update on minutes_revisions
when old.published_at is not null
begin
    select raise(abort, 'published minutes are never changed');
end;
create trigger minutes_published_no_delete before delete on minutes_revisions
when old.published_at is not null
begin
    select raise(abort, 'published minutes are never changed');
end;

-- The equal-treatment dossier: when the buyer published its public edition (once).
create table dossier_publications (
    consultation_id bigint primary key references consultations (id),
    published_by bigint not null references users (id),
    published_at bigint not null
);

-- Passages of contributions kept out of the public edition (business secrets): by the buyer,
-- or asked by the company that wrote the contribution.
create table redactions (
    id integer primary key,
    consultation_id bigint not null references consultations (id),
    contribution_id bigint not null references contributions (id),
    passage text not null,
    reason text not null default '',
    by_company bigint not null,
    created_by bigint not null references users (id),
    created_at bigint not null
);
create index redactions_by_consultation on redactions (consultation_id);

-- The access register learns two kinds of reads: the minutes and the dossier. SQLite cannot
-- change a check constraint: the table is rebuilt, its rows copied as they are.
drop trigger access_log_no_update;
drop trigger access_log_no_delete;
create table access_log_new (
    id integer primary key,
    consultation_id bigint not null references consultations (id),
    organisation_id bigint not null references organisations (id),
    user_id bigint not null references users (id),
    kind text not null check (kind in ('version', 'comparison', 'markdown', 'calendar', 'contributions_csv', 'minutes', 'dossier')),
    version_number bigint,
    detail text not null default '',
    at bigint not null
);
insert into access_log_new (id, consultation_id, organisation_id, user_id, kind, version_number, detail, at)
    select id, consultation_id, organisation_id, user_id, kind, version_number, detail, at from access_log;
drop table access_log;
alter table access_log_new rename to access_log;
create index access_log_by_consultation on access_log (consultation_id);
create trigger access_log_no_update before update on access_log
begin
    select raise(abort, 'the access register is append-only');
end;
create trigger access_log_no_delete before delete on access_log
begin
    select raise(abort, 'the access register is append-only');
end;
