-- Contributions of companies on clauses and criteria, the buyer's answers (sqlite).
-- Keep in step with the other backend's 0006_contributions.sql.

-- The companies taking part in a consultation, each with its stable pseudonym there: the
-- letter number (0 = "Entreprise A", 1 = "Entreprise B"…) in order of registration.
create table participants (
    consultation_id bigint not null references consultations (id),
    organisation_id bigint not null references organisations (id),
    pseudonym_index bigint not null,
    registered_at bigint not null,
    primary key (consultation_id, organisation_id),
    unique (consultation_id, pseudonym_index)
);

-- One contribution: what it is on (a clause or a criterion of the version it was made on, with
-- the quoted words: W3C quote and position selectors, see domain::anchor; no quote = the whole
-- clause or criterion), what it says, and its status in the dialogue. Never deleted: a withdrawn
-- contribution keeps its row with withdrawn_at set.
create table contributions (
    id integer primary key,
    consultation_id bigint not null references consultations (id),
    version_number bigint not null,
    target text not null check (target in ('clause', 'criterion')),
    target_id text not null,
    quote_exact text,
    quote_prefix text,
    quote_suffix text,
    position_start bigint,
    position_end bigint,
    -- The clause text (or criterion) it was made on, for re-anchoring and for showing what an
    -- outdated or orphaned contribution was about.
    target_text text not null,
    -- Its heading (or the criterion's name) then.
    target_label text not null,
    kind text not null check (kind in ('solution', 'clarification', 'alternative_clause', 'alternative_criterion')),
    justification text not null,
    cost_impact text not null check (cost_impact in ('up', 'down', 'neutral', 'unknown')),
    cost_amount_cents bigint,
    proposed_text text not null default '',
    status text not null check (status in ('open', 'answered', 'accepted', 'rejected', 'integrated')),
    integrated_version bigint,
    organisation_id bigint not null references organisations (id),
    author_id bigint not null references users (id),
    created_at bigint not null,
    updated_at bigint not null,
    withdrawn_at bigint
);
create index contributions_by_consultation on contributions (consultation_id);

-- What a contribution said before each edit by its author.
create table contribution_revisions (
    id integer primary key,
    contribution_id bigint not null references contributions (id),
    kind text not null,
    justification text not null,
    cost_impact text not null,
    cost_amount_cents bigint,
    proposed_text text not null,
    written_at bigint not null,
    replaced_at bigint not null
);
create index contribution_revisions_by_contribution on contribution_revisions (contribution_id);

-- The thread under a contribution: the buyer's answers and the contributing company's replies.
create table contribution_replies (
    id integer primary key,
    contribution_id bigint not null references contributions (id),
    from_buyer bigint not null,
    body text not null,
    author_id bigint not null references users (id),
    created_at bigint not null
);
create index contribution_replies_by_contribution on contribution_replies (contribution_id);
