-- The plan dashboard counts indicators per area (area join indicator on area_id): without
-- this index that was a sequential scan of every district's indicators (22 ms at 2,850
-- districts instead of well under one).
create index indicator_area_idx on indicator (area_id);
