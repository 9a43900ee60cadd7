-- Every approval bumps its district's data version. The index on (region_id, data_version)
-- made each bump a non-HOT update that wrote a new entry into all four of the tenant's
-- indexes (0 of 2,486 bumps were HOT under the write benchmark). What it served, a region's
-- newest data version, is read only when the mirror lacks the region (after a district or
-- region changes), and the index on region_id finds the same rows.
drop index tenant_region_version_idx;
