-- A report awaiting a decision carries nothing of a decision: no decider and no reason (its
-- decision time is already held to that by the table's check). A decision changes only the
-- decision's columns and the version, so the report as it was before an approval or a
-- rejection follows from the report after it; the decision's audit event is written without
-- reading the report first (backend/src/reports.rs, `decide`).
alter table indicator_report add constraint indicator_report_undecided_check
  check (state <> 'submitted' or (decided_by is null and decision_reason is null));
