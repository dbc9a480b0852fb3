"""Real ICEWS sample rows in the shared extract's exact shape (tab-separated, header, UTF-8)."""

from __future__ import annotations

ICEWS_HEADER = "source_actor\tevent_text_cameo_label\ttarget_actor\tevent_date\torigin_repo_file"
ICEWS14_TEST = "ICEWS14 (19859472976/HC2-Diff data/ICEWS14, test)"
ICEWS05_15_VALID = "ICEWS05-15 (BorealisAI/de-simple datasets/icews05-15, valid)"
ICEWS14_TRAIN = "ICEWS14 (19859472976/HC2-Diff data/ICEWS14, train)"
# Rows of icews_kazakhstan_events_subset_2005-2018.tsv: a presidential visit, an EU institution, a
# member state's minister (Croatia), one event held by two subsets, and an international organisation
ICEWS_ROWS = [
    f"François Hollande\tMake a visit\tKazakhstan\t2014-12-04\t{ICEWS14_TEST}",
    f"Kazakhstan\tHost a visit\tFrançois Hollande\t2014-12-04\t{ICEWS14_TEST}",
    f"Catherine Ashton\tMake a visit\tKazakhstan\t2013-02-27\t{ICEWS05_15_VALID}",
    f"Vesna Pusić\tMake a visit\tKazakhstan\t2014-10-29\t{ICEWS14_TRAIN}",
    f"Algirdas Butkevičius\tExpress intent to meet or negotiate\tKazakhstan\t2014-01-28\t{ICEWS14_TRAIN}",
    f"Algirdas Butkevičius\tExpress intent to meet or negotiate\tKazakhstan\t2014-01-28\t{ICEWS05_15_VALID}",
    "Nursultan Nazarbayev\tConsult\tRoberto Azevedo\t2018-09-27\tICEWS18 (INK-USC/RE-Net data/ICEWS18, valid)",
]


def icews(rows: list[str] | None = None, header: str = ICEWS_HEADER) -> str:
    return "\n".join([header, *(ICEWS_ROWS if rows is None else rows)]) + "\n"
