-- The catalogue of upcoming needs (the salon inversé), companies' interest in them, full-text
-- search of needs and companies, alerts and the notification centre (sqlite).
-- Keep in step with the postgres 0012_needs_and_notifications.sql.

-- A need a buyer announces before any sourcing. `search_terms` holds the words of its title,
-- summary and buyer as `domain::search::index_text` makes them (the same on both databases).
create table needs (
    id integer primary key,
    organisation_id bigint not null references organisations (id),
    created_by bigint not null references users (id),
    title text not null,
    summary text not null,
    cpv_codes text not null default '',
    departements text not null default '',
    amount_min bigint,
    amount_max bigint,
    tender_year bigint not null,
    tender_quarter bigint not null check (tender_quarter between 1 and 4),
    contact text not null default '',
    consultation_id bigint references consultations (id),
    published_at bigint not null,
    updated_at bigint not null,
    withdrawn_at bigint,
    search_terms text not null default ''
);
create index needs_by_quarter on needs (tender_year, tender_quarter, id);
create index needs_by_organisation on needs (organisation_id);

-- FTS5 over the stored terms, kept in step by triggers.
create virtual table needs_fts using fts5 (search_terms, content = 'needs', content_rowid = 'id');
create trigger needs_fts_insert after insert on needs begin
    insert into needs_fts (rowid, search_terms) values (new.id, new.search_terms);
end;
create trigger needs_fts_delete after delete on needs begin
    insert into needs_fts (needs_fts, rowid, search_terms) values ('delete', old.id, old.search_terms);
end;
create trigger needs_fts_update after update of search_terms on needs begin
    insert into needs_fts (needs_fts, rowid, search_terms) values ('delete', old.id, old.search_terms);
    insert into needs_fts (rowid, search_terms) values (new.id, new.search_terms);
end;

-- Companies say they are interested in a need (by name: the salon is not anonymous).
create table need_interests (
    need_id bigint not null references needs (id),
    organisation_id bigint not null references organisations (id),
    user_id bigint not null references users (id),
    message text not null default '',
    created_at bigint not null,
    primary key (need_id, organisation_id)
);

-- The directory searched by words of the name and presentation.
alter table organisations add column search_terms text not null default '';
create virtual table companies_fts using fts5 (search_terms, content = 'organisations', content_rowid = 'id');
create trigger companies_fts_insert after insert on organisations begin
    insert into companies_fts (rowid, search_terms) values (new.id, new.search_terms);
end;
create trigger companies_fts_delete after delete on organisations begin
    insert into companies_fts (companies_fts, rowid, search_terms) values ('delete', old.id, old.search_terms);
end;
create trigger companies_fts_update after update of search_terms on organisations begin
    insert into companies_fts (companies_fts, rowid, search_terms) values ('delete', old.id, old.search_terms);
    insert into companies_fts (rowid, search_terms) values (new.id, new.search_terms);
end;

-- A person's alert: needs and consultations announced in these CPV prefixes and départements
-- (an empty list: any), mailed at once or in a daily digest.
create table alerts (
    user_id bigint primary key references users (id),
    cpv_prefixes text not null default '',
    departements text not null default '',
    frequency text not null check (frequency in ('immediate', 'daily')),
    updated_at bigint not null
);

-- The notification centre. `dedup_key` names the event: the same event never notifies the same
-- person twice (across restarts and app servers). `mail_state`: 'none' (in the app only),
-- 'queued' (mailed with it), 'digest' (waiting for the daily digest), 'digested'.
create table notifications (
    id integer primary key,
    user_id bigint not null references users (id),
    kind text not null,
    dedup_key text not null,
    title text not null,
    link text not null,
    created_at bigint not null,
    read_at bigint,
    mail_state text not null default 'none',
    unique (user_id, dedup_key)
);
create index notifications_by_user on notifications (user_id, id);
create index notifications_digest on notifications (mail_state, user_id);

-- How a person wants each kind of notification: 'app', 'mail' (in the app and by mail), 'none'.
create table notification_preferences (
    user_id bigint not null references users (id),
    kind text not null,
    channel text not null check (channel in ('app', 'mail', 'none')),
    primary key (user_id, kind)
);

-- Daily digests sent (one per person and day, whatever restarts or app servers).
create table notification_digests (
    user_id bigint not null references users (id),
    day text not null,
    sent_at bigint not null,
    primary key (user_id, day)
);
