-- The generation of the data (sqlite). Keep in step with the other backend's 0016_data_generation.sql.

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

-- SQLite triggers fire for each row: one update of one row, in the writer's transaction.
create trigger data_generation_insert_alerts after insert on alerts begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_alerts after update on alerts begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_alerts after delete on alerts begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_calendar_feeds after insert on calendar_feeds begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_calendar_feeds after update on calendar_feeds begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_calendar_feeds after delete on calendar_feeds begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_consultation_invitations after insert on consultation_invitations begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_consultation_invitations after update on consultation_invitations begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_consultation_invitations after delete on consultation_invitations begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_consultations after insert on consultations begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_consultations after update on consultations begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_consultations after delete on consultations begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_contribution_replies after insert on contribution_replies begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_contribution_replies after update on contribution_replies begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_contribution_replies after delete on contribution_replies begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_contribution_revisions after insert on contribution_revisions begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_contribution_revisions after update on contribution_revisions begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_contribution_revisions after delete on contribution_revisions begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_contributions after insert on contributions begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_contributions after update on contributions begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_contributions after delete on contributions begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_dossier_publications after insert on dossier_publications begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_dossier_publications after update on dossier_publications begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_dossier_publications after delete on dossier_publications begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_email_invitations after insert on email_invitations begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_email_invitations after update on email_invitations begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_email_invitations after delete on email_invitations begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_invitations after insert on invitations begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_invitations after update on invitations begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_invitations after delete on invitations begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_join_requests after insert on join_requests begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_join_requests after update on join_requests begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_join_requests after delete on join_requests begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_minutes after insert on minutes begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_minutes after update on minutes begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_minutes after delete on minutes begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_minutes_revisions after insert on minutes_revisions begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_minutes_revisions after update on minutes_revisions begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_minutes_revisions after delete on minutes_revisions begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_need_interests after insert on need_interests begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_need_interests after update on need_interests begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_need_interests after delete on need_interests begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_need_slots after insert on need_slots begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_need_slots after update on need_slots begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_need_slots after delete on need_slots begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_needs after insert on needs begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_needs after update on needs begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_needs after delete on needs begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_notification_digests after insert on notification_digests begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_notification_digests after update on notification_digests begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_notification_digests after delete on notification_digests begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_notification_preferences after insert on notification_preferences begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_notification_preferences after update on notification_preferences begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_notification_preferences after delete on notification_preferences begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_notifications after insert on notifications begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_notifications after update on notifications begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_notifications after delete on notifications begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_organisations after insert on organisations begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_organisations after update on organisations begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_organisations after delete on organisations begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_participants after insert on participants begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_participants after update on participants begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_participants after delete on participants begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_pending_registrations after insert on pending_registrations begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_pending_registrations after update on pending_registrations begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_pending_registrations after delete on pending_registrations begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_redactions after insert on redactions begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_redactions after update on redactions begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_redactions after delete on redactions begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_retro_plans after insert on retro_plans begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_retro_plans after update on retro_plans begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_retro_plans after delete on retro_plans begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_retro_tasks after insert on retro_tasks begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_retro_tasks after update on retro_tasks begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_retro_tasks after delete on retro_tasks begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_review_notes after insert on review_notes begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_review_notes after update on review_notes begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_review_notes after delete on review_notes begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_review_requests after insert on review_requests begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_review_requests after update on review_requests begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_review_requests after delete on review_requests begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_reviewer_organisations after insert on reviewer_organisations begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_reviewer_organisations after update on reviewer_organisations begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_reviewer_organisations after delete on reviewer_organisations begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_server_secrets after insert on server_secrets begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_server_secrets after update on server_secrets begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_server_secrets after delete on server_secrets begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_slot_bookings after insert on slot_bookings begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_slot_bookings after update on slot_bookings begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_slot_bookings after delete on slot_bookings begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_spec_drafts after insert on spec_drafts begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_spec_drafts after update on spec_drafts begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_spec_drafts after delete on spec_drafts begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_spec_versions after insert on spec_versions begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_spec_versions after update on spec_versions begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_spec_versions after delete on spec_versions begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_status_changes after insert on status_changes begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_status_changes after update on status_changes begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_status_changes after delete on status_changes begin update data_generation set generation = generation + 1; end;
create trigger data_generation_insert_users after insert on users begin update data_generation set generation = generation + 1; end;
create trigger data_generation_update_users after update on users begin update data_generation set generation = generation + 1; end;
create trigger data_generation_delete_users after delete on users begin update data_generation set generation = generation + 1; end;
