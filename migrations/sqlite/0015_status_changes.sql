-- When each consultation reached each step (sqlite). Keep in step with the other backend's
-- 0015_status_changes.sql.

-- Written by every change of the stored status (and at creation): the open data dates its
-- releases from it (the announcement, the hand-over to the tender). Consultations older than
-- this table have no rows; the open data then falls back on their creation date.
create table status_changes (
    consultation_id bigint not null references consultations (id),
    status text not null,
    at bigint not null
);
create index status_changes_by_consultation on status_changes (consultation_id);
