-- Drafting and publishing (sqlite). Keep in step with the other backend's 0003_drafting.sql.

-- What publication fixes for ever, besides the text: the clause ids given at publication (one per
-- clause, in order, newline-separated; empty for versions published before this migration, whose
-- ids are then those of a plain parse), the award criteria (JSON array, ids included) and the author.
alter table spec_versions add column clause_ids text not null default '';
alter table spec_versions add column criteria text not null default '[]';
alter table spec_versions add column author_id bigint references users (id);

-- The buyer organisation's working draft of the next version: one per consultation, saved as the
-- buyer types. `revision` grows at each save; a save based on an older revision is refused, so that
-- two buyers editing at once never silently overwrite each other.
create table spec_drafts (
    consultation_id bigint primary key references consultations (id),
    markdown text not null,
    criteria text not null default '[]',
    changelog text not null default '',
    revision bigint not null,
    updated_at bigint not null,
    updated_by bigint references users (id)
);
