-- Foundation schema (SQLite). Keep in step with migrations/postgres/0001_foundation.sql:
-- same tables, columns and constraints; integers are 64-bit, dates ISO text, instants unix seconds.

create table organisations (
    id integer primary key,
    kind text not null check (kind in ('buyer', 'company')),
    name text not null,
    siret text,
    departement text,
    created_at bigint not null
);

create table consultations (
    id integer primary key,
    buyer_organisation_id bigint not null references organisations (id),
    title text not null,
    object text not null,
    cpv_codes text not null default '',
    departements text not null default '',
    mode text not null check (mode in ('open', 'restricted')),
    status text not null check (status in ('draft', 'announced', 'call_for_participation',
        'exchanges', 'drafting', 'in_review', 'approved', 'closed')),
    exchanges_start text,
    exchanges_end text,
    expected_tender_date text,
    created_at bigint not null,
    updated_at bigint not null
);

create index consultations_by_buyer on consultations (buyer_organisation_id);

create table spec_versions (
    id integer primary key,
    consultation_id bigint not null references consultations (id),
    number bigint not null check (number >= 1),
    markdown text not null,
    changelog text not null default '',
    published_at bigint not null,
    unique (consultation_id, number)
);
