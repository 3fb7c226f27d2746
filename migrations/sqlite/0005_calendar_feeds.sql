-- Private calendar subscription links (sqlite). Keep in step with the other backend.
-- One per user; only the SHA-256 of the token is stored, the link is shown once when created.
create table calendar_feeds (
    user_id bigint primary key references users (id),
    token_hash text not null unique,
    created_at bigint not null
);
