-- Sourcing calendars and supplier retro-plannings (sqlite). Keep in step with the other backend.

-- The buyer's calendar choices (JSON of domain::calendar::SourcingSettings); null until planned.
-- exchanges_start/exchanges_end stay filled from it, for lists.
alter table consultations add column calendar_settings text;

-- A supplier's retro-planning towards a tender's submission date (day J).
create table retro_plans (
    id integer primary key,
    user_id bigint not null references users (id),
    title text not null,
    submission_date text not null,
    created_at bigint not null,
    updated_at bigint not null
);
create index retro_plans_by_user on retro_plans (user_id);

-- Ticked tasks and notes of a retro-planning, per task key of the seed's list.
create table retro_tasks (
    plan_id bigint not null references retro_plans (id),
    task_key text not null,
    done bigint not null default 0,
    note text not null default '',
    primary key (plan_id, task_key)
);
