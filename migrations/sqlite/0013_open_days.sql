-- « Portes ouvertes » on a need: meeting slots a buyer offers, which companies book (sqlite).
-- Keep in step with the other backend's 0013_open_days.sql.

-- `booked` counts the bookings, so that a slot is never overbooked: a booking raises it with
-- `booked < capacity` in the same statement, and the check refuses anything else.
create table need_slots (
    id integer primary key,
    need_id bigint not null references needs (id),
    starts_at bigint not null,
    duration_minutes bigint not null check (duration_minutes between 1 and 1440),
    place text not null,
    capacity bigint not null check (capacity >= 1),
    booked bigint not null default 0 check (booked >= 0 and booked <= capacity),
    created_at bigint not null
);
create index need_slots_by_need on need_slots (need_id, starts_at);

-- One slot per company and need.
create table slot_bookings (
    need_id bigint not null references needs (id),
    organisation_id bigint not null references organisations (id),
    slot_id bigint not null references need_slots (id),
    user_id bigint not null references users (id),
    booked_at bigint not null,
    primary key (need_id, organisation_id)
);
create index slot_bookings_by_slot on slot_bookings (slot_id);
