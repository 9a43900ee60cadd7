-- An indicator's reports, whatever their state: its report history (`reports::list`), the
-- plan's history export and the indicator's delete all find them by indicator. The partial
-- indexes serve only the approved and the submitted ones, so these were sequential scans of
-- every district's reports (37 ms for one indicator's history at 2,850 districts).
create index indicator_report_indicator_idx on indicator_report (indicator_id);
