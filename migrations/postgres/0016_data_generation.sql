-- The generation of the data (postgres). Keep in step with the other backend's 0016_data_generation.sql.

-- One counter, raised in the same transaction as every change to a table that a page shows, so
-- that a page rendered once can be served again while the counter stands still (the page cache
-- of `server::http::pages`): a reader that sees generation G sees every change made up to G.
-- Not counted: what pages never show and what changes on every view or sign-in (access_log,
-- anonymous_reads, sessions, sign_in_failures, registration_attempts, outbox). A new table gets
-- its triggers here too: `tests/page_cache.rs` fails on a table that has none and is not in
-- that list.
create table data_generation (
    id integer primary key check (id = 1),
    generation bigint not null
);
insert into data_generation (id, generation) values (1, 0);

-- Once per statement. Writers already queue on one advisory lock (`Db::begin_write`), so the
-- counter's row lock adds no new wait to them.
create function raise_data_generation() returns trigger language plpgsql as $$
begin
    update data_generation set generation = generation + 1 where id = 1;
    return null;
end $$;
create trigger data_generation_alerts after insert or update or delete or truncate on alerts for each statement execute function raise_data_generation();
create trigger data_generation_calendar_feeds after insert or update or delete or truncate on calendar_feeds for each statement execute function raise_data_generation();
create trigger data_generation_consultation_invitations after insert or update or delete or truncate on consultation_invitations for each statement execute function raise_data_generation();
create trigger data_generation_consultations after insert or update or delete or truncate on consultations for each statement execute function raise_data_generation();
create trigger data_generation_contribution_replies after insert or update or delete or truncate on contribution_replies for each statement execute function raise_data_generation();
create trigger data_generation_contribution_revisions after insert or update or delete or truncate on contribution_revisions for each statement execute function raise_data_generation();
create trigger data_generation_contributions after insert or update or delete or truncate on contributions for each statement execute function raise_data_generation();
create trigger data_generation_dossier_publications after insert or update or delete or truncate on dossier_publications for each statement execute function raise_data_generation();
create trigger data_generation_email_invitations after insert or update or delete or truncate on email_invitations for each statement execute function raise_data_generation();
create trigger data_generation_invitations after insert or update or delete or truncate on invitations for each statement execute function raise_data_generation();
create trigger data_generation_join_requests after insert or update or delete or truncate on join_requests for each statement execute function raise_data_generation();
create trigger data_generation_minutes after insert or update or delete or truncate on minutes for each statement execute function raise_data_generation();
create trigger data_generation_minutes_revisions after insert or update or delete or truncate on minutes_revisions for each statement execute function raise_data_generation();
create trigger data_generation_need_interests after insert or update or delete or truncate on need_interests for each statement execute function raise_data_generation();
create trigger data_generation_need_slots after insert or update or delete or truncate on need_slots for each statement execute function raise_data_generation();
create trigger data_generation_needs after insert or update or delete or truncate on needs for each statement execute function raise_data_generation();
create trigger data_generation_notification_digests after insert or update or delete or truncate on notification_digests for each statement execute function raise_data_generation();
create trigger data_generation_notification_preferences after insert or update or delete or truncate on notification_preferences for each statement execute function raise_data_generation();
create trigger data_generation_notifications after insert or update or delete or truncate on notifications for each statement execute function raise_data_generation();
create trigger data_generation_organisations after insert or update or delete or truncate on organisations for each statement execute function raise_data_generation();
create trigger data_generation_participants after insert or update or delete or truncate on participants for each statement execute function raise_data_generation();
create trigger data_generation_pending_registrations after insert or update or delete or truncate on pending_registrations for each statement execute function raise_data_generation();
create trigger data_generation_redactions after insert or update or delete or truncate on redactions for each statement execute function raise_data_generation();
create trigger data_generation_retro_plans after insert or update or delete or truncate on retro_plans for each statement execute function raise_data_generation();
create trigger data_generation_retro_tasks after insert or update or delete or truncate on retro_tasks for each statement execute function raise_data_generation();
create trigger data_generation_review_notes after insert or update or delete or truncate on review_notes for each statement execute function raise_data_generation();
create trigger data_generation_review_requests after insert or update or delete or truncate on review_requests for each statement execute function raise_data_generation();
create trigger data_generation_reviewer_organisations after insert or update or delete or truncate on reviewer_organisations for each statement execute function raise_data_generation();
create trigger data_generation_server_secrets after insert or update or delete or truncate on server_secrets for each statement execute function raise_data_generation();
create trigger data_generation_slot_bookings after insert or update or delete or truncate on slot_bookings for each statement execute function raise_data_generation();
create trigger data_generation_spec_drafts after insert or update or delete or truncate on spec_drafts for each statement execute function raise_data_generation();
create trigger data_generation_spec_versions after insert or update or delete or truncate on spec_versions for each statement execute function raise_data_generation();
create trigger data_generation_status_changes after insert or update or delete or truncate on status_changes for each statement execute function raise_data_generation();
create trigger data_generation_users after insert or update or delete or truncate on users for each statement execute function raise_data_generation();
