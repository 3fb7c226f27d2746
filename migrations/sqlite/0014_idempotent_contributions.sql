-- Contributions sent twice create one (sqlite). Keep in step with the other backend's
-- 0014_idempotent_contributions.sql.

-- The key the browser drew for the form it was sent from (see `NewContribution::client_key`): a
-- company's resubmission with the same key returns the contribution already stored.
alter table contributions add column client_key text;
create unique index contributions_by_client_key on contributions (organisation_id, client_key)
    where client_key is not null;
