-- The sourcing record (sqlite): reviews and sign-offs of versions, the access register.
-- Keep in step with the other backend's 0008_record.sql.

-- A buyer's request for the validation of a published version, and the reviewer's decision.
-- The SHA-256 of the version's text is taken at the request: a sign-off holds for that text only.
create table review_requests (
    id integer primary key,
    consultation_id bigint not null references consultations (id),
    version_number bigint not null,
    text_sha256 text not null,
    message text not null,
    requested_by bigint not null references users (id),
    requested_at bigint not null,
    decision text check (decision in ('approved', 'changes_requested', 'superseded')),
    decision_message text not null default '',
    decided_by bigint references users (id),
    decided_at bigint
);
create index review_requests_by_consultation on review_requests (consultation_id);

-- A reviewer's note on a clause of the version under review: for the buyer's organisation only.
create table review_notes (
    id integer primary key,
    request_id bigint not null references review_requests (id),
    clause_id text not null,
    body text not null,
    author_id bigint not null references users (id),
    created_at bigint not null
);
create index review_notes_by_request on review_notes (request_id);

-- Every read of a version or a comparison and every download by a signed-in company. Append-only:
-- the triggers refuse any change or deletion, whatever the code does.
create table access_log (
    id integer primary key,
    consultation_id bigint not null references consultations (id),
    organisation_id bigint not null references organisations (id),
    user_id bigint not null references users (id),
    kind text not null check (kind in ('version', 'comparison', 'markdown', 'calendar', 'contributions_csv')),
    version_number bigint,
    detail text not null default '',
    at bigint not null
);
create index access_log_by_consultation on access_log (consultation_id);
create trigger access_log_no_update before update on access_log
begin
    select raise(abort, 'the access register is append-only');
end;
create trigger access_log_no_delete before delete on access_log
begin
    select raise(abort, 'the access register is append-only');
end;

-- Reads by visitors who are not signed in: counted, not logged per person.
create table anonymous_reads (
    consultation_id bigint not null references consultations (id),
    kind text not null,
    reads bigint not null,
    primary key (consultation_id, kind)
);
