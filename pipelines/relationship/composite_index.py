"""The annual relationship index, built as the OECD/JRC Handbook on Constructing Composite Indicators
(Nardo et al. 2008) describes, with the sensitivity table its step 7 asks for.

Input: one row per period and component (`period, component, value, orientation, group`); orientation
is +1 when more of the component means a closer relationship, -1 when less does.

1. Missing data (Handbook step 3): no imputation. A period with fewer than `min_components` of the N
   components gets no index (default ceil(0.75 N)); in a period that has enough, the index is the
   weighted mean of the components it has, weights rescaled to sum to one over them. This is the
   "available case" rule: it amounts to giving a missing component the weighted mean of the others.
2. Orientation, then normalisation (step 5), per component over the periods that get an index, so the
   published years alone fix the scale: z-score (x - mean) / sd with the sample sd (ddof 1), or min-max
   (x - min) / (max - min) in 0..1. Orientation multiplies the raw value by -1 first.
3. Weights (step 6), each summing to one:
   - `equal`: 1/N per component;
   - `equal_by_group`: 1/G per group, shared equally by the group's components, so that a group with
     three trade indicators does not outweigh finance with one;
   - `pca`: the first principal component's squared loadings, normalised to sum to one (the Handbook's
     factor-analysis weights, simplified to the first factor and no rotation), from the SVD of the
     z-scores of the complete periods (all N components) with numpy. Squared loadings ignore sign, so a
     component loading against the others still gets a positive weight; the explained share is reported.
     Skipped, with a caveat, when there are fewer than N + 1 complete periods;
   - `leave_out:<component>`: equal weights over the other N - 1 components.
4. Aggregation: linear (weighted arithmetic mean); ranks within each normalisation and scheme (1 = the
   highest index); the sensitivity table gives per period the reference (`equal`) index and rank, the
   band of index values and the range of ranks over the schemes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

COMPONENT_COLUMNS = ("period", "component", "value", "orientation", "group")
NORMALISATIONS = ("zscore", "minmax")
DEFAULT_MIN_COMPONENT_SHARE = 0.75
REFERENCE_SCHEME = "equal"
LEAVE_OUT_PREFIX = "leave_out:"

INDEX_COLUMNS = ("period", "normalisation", "scheme", "index", "rank", "n_components")
SENSITIVITY_COLUMNS = (
    "period", "normalisation", "index_reference", "index_min", "index_max", "rank_reference", "rank_min",
    "rank_max", "rank_range", "n_schemes",
)  # fmt: skip
WEIGHT_COLUMNS = ("scheme", "component", "group", "weight")
COVERAGE_COLUMNS = ("period", "n_components", "n_total", "has_index")


@dataclass(frozen=True)
class CompositeIndexResult:
    index: pd.DataFrame  # INDEX_COLUMNS: one row per period, normalisation and scheme
    sensitivity: pd.DataFrame  # SENSITIVITY_COLUMNS: one row per period and normalisation
    weights: pd.DataFrame  # WEIGHT_COLUMNS: one row per scheme and component
    normalised: pd.DataFrame  # period, component, normalisation, value (oriented and normalised)
    coverage: pd.DataFrame  # COVERAGE_COLUMNS: every period of the input, with or without an index
    min_components: int
    pca_explained_share: float | None  # variance share of the first component (None when PCA is skipped)
    method: str
    caveat: str


def composite_index(
    components: pd.DataFrame,
    *,
    min_components: int | None = None,
    normalisations: tuple[str, ...] = NORMALISATIONS,
    schemes: tuple[str, ...] = ("equal", "equal_by_group", "pca", "leave_one_out"),
) -> CompositeIndexResult:
    """The index per period for every normalisation and weighting scheme, and its sensitivity table."""
    values, orientation, group = component_table(components)
    n_total = values.shape[1]
    required = default_min_components(n_total) if min_components is None else min_components
    if not 1 <= required <= n_total:
        raise ValueError(f"min_components must be between 1 and {n_total} (the number of components), not {required}")
    coverage = component_coverage(values, required)
    kept = values.loc[coverage.loc[coverage["has_index"], "period"].to_list()]
    if len(kept) < 2:
        raise ValueError(
            f"fewer than two periods have at least {required} of the {n_total} components: nothing to normalise"
        )
    oriented = kept * orientation
    check_normalisable(oriented)
    weights, explained, caveats = weighting_schemes(oriented, group, schemes)
    index_rows, normalised_rows = [], []
    for method in normalisations:
        normalised = normalise(oriented, method)
        normalised_rows.append(_long(normalised, method))
        for scheme, scheme_weights in weights.items():
            index_rows.append(_index_rows(normalised, scheme_weights, method, scheme))
    index = pd.concat(index_rows, ignore_index=True)[list(INDEX_COLUMNS)]
    return CompositeIndexResult(
        index=index,
        sensitivity=sensitivity_table(index),
        weights=_weights_frame(weights, group),
        normalised=pd.concat(normalised_rows, ignore_index=True),
        coverage=coverage,
        min_components=required,
        pca_explained_share=explained,
        method=(
            f"OECD/JRC Handbook 2008: orientation, {' and '.join(normalisations)} normalisation over the "
            f"{len(kept)} periods with at least {required} of {n_total} components, available-case weighted "
            f"arithmetic mean; schemes {', '.join(weights)}"
        ),
        caveat=" ".join(caveats),
    )


def default_min_components(n_total: int) -> int:
    return math.ceil(DEFAULT_MIN_COMPONENT_SHARE * n_total)


def component_table(components: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """(values period x component, orientation per component, group per component), checked."""
    missing = [c for c in COMPONENT_COLUMNS if c not in components.columns]
    if missing:
        raise ValueError(f"the components table needs columns {list(COMPONENT_COLUMNS)}; missing {missing}")
    duplicated = components[components.duplicated(["period", "component"], keep=False)]
    if not duplicated.empty:
        first = duplicated.iloc[0]
        raise ValueError(f"component {first['component']!r} has more than one value for period {first['period']}")
    meta = components.groupby("component", sort=True).agg(
        orientation=("orientation", "unique"), group=("group", "unique")
    )
    for name, row in meta.iterrows():
        if len(row["orientation"]) != 1 or row["orientation"][0] not in (1, -1):
            raise ValueError(
                f"component {name!r}: orientation must be one value, +1 or -1 (got {list(row['orientation'])})"
            )
        if len(row["group"]) != 1:
            raise ValueError(f"component {name!r}: one group expected (got {list(row['group'])})")
    values = components.pivot(index="period", columns="component", values="value").astype(float).sort_index()
    values.columns.name = None
    orientation = meta["orientation"].map(lambda v: float(v[0]))
    group = meta["group"].map(lambda v: v[0])
    return values, orientation, group


def component_coverage(values: pd.DataFrame, min_components: int) -> pd.DataFrame:
    """Per period: how many components it has, and whether that meets the missing-data rule."""
    present = values.notna().sum(axis=1)
    return pd.DataFrame(
        {
            "period": values.index,
            "n_components": present.to_numpy(dtype=int),
            "n_total": values.shape[1],
            "has_index": (present >= min_components).to_numpy(),
        },
        columns=list(COVERAGE_COLUMNS),
    )


def normalise(oriented: pd.DataFrame, method: str) -> pd.DataFrame:
    """z-score (sample sd) or min-max 0..1 of each component over the periods given (NaN stays NaN)."""
    if method not in NORMALISATIONS:
        raise ValueError(f"normalisation must be one of {NORMALISATIONS}, not {method!r}")
    check_normalisable(oriented)
    if method == "zscore":
        return (oriented - oriented.mean()) / oriented.std(ddof=1)
    return (oriented - oriented.min()) / (oriented.max() - oriented.min())


def check_normalisable(oriented: pd.DataFrame) -> None:
    """Every component needs two different values over the periods that get an index."""
    for name in oriented.columns:
        distinct = oriented[name].dropna().nunique()
        if distinct < 2:
            raise ValueError(
                f"component {name!r} cannot be normalised: {distinct} distinct value(s) over the periods that "
                f"get an index, two needed"
            )


def weighting_schemes(
    oriented: pd.DataFrame, group: pd.Series, schemes: tuple[str, ...]
) -> tuple[dict[str, pd.Series], float | None, list[str]]:
    """The weights of each scheme (a Series per scheme, summing to one), PCA's explained share, caveats."""
    components = list(oriented.columns)
    weights: dict[str, pd.Series] = {}
    explained, caveats = None, []
    for scheme in schemes:
        if scheme == "equal":
            weights["equal"] = equal_weights(components)
        elif scheme == "equal_by_group":
            weights["equal_by_group"] = group_weights(group.loc[components])
        elif scheme == "pca":
            complete = oriented.dropna()
            if len(complete) < len(components) + 1:
                caveats.append(
                    f"PCA weights skipped: {len(complete)} periods have all {len(components)} components, "
                    f"{len(components) + 1} needed."
                )
                continue
            constant = [c for c in components if complete[c].nunique() < 2]
            if constant:
                caveats.append(f"PCA weights skipped: {', '.join(constant)} constant over the complete periods.")
                continue
            weights["pca"], explained = pca_weights(complete)
            caveats.append(f"The first principal component explains {explained:.0%} of the variance.")
        elif scheme == "leave_one_out":
            for left_out in components:
                weights[f"{LEAVE_OUT_PREFIX}{left_out}"] = equal_weights([c for c in components if c != left_out])
        else:
            raise ValueError(f"unknown weighting scheme {scheme!r}")
    if REFERENCE_SCHEME not in weights:
        raise ValueError(f"the schemes must include {REFERENCE_SCHEME!r}, the sensitivity table's reference")
    caveats.append(
        "Weights are a choice, not a finding: read the index with its band across schemes; the index says how "
        "a year compares with the other years of the sample, not by how much the relationship changed."
    )
    return weights, explained, caveats


def equal_weights(components: list[str]) -> pd.Series:
    return pd.Series(1.0 / len(components), index=components)


def group_weights(group: pd.Series) -> pd.Series:
    """1/G per group, split equally among the group's components."""
    sizes = group.map(group.value_counts())
    return 1.0 / (group.nunique() * sizes.astype(float))


def pca_weights(complete: pd.DataFrame) -> tuple[pd.Series, float]:
    """Squared loadings of the first principal component of the correlation matrix, normalised to one.

    The SVD of the z-scored complete periods gives the eigenvectors of their correlation matrix; a
    loading is eigenvector x sqrt(eigenvalue), so the normalised squared loadings are the squared
    eigenvector entries. Returns the weights and the component's share of the total variance."""
    z = ((complete - complete.mean()) / complete.std(ddof=1)).to_numpy()
    _, singular_values, right_vectors = np.linalg.svd(z, full_matrices=False)
    squared = right_vectors[0] ** 2
    explained = float(singular_values[0] ** 2 / np.sum(singular_values**2))
    return pd.Series(squared / squared.sum(), index=complete.columns), explained


def aggregate(normalised: pd.DataFrame, weights: pd.Series) -> pd.Series:
    """Weighted arithmetic mean per period over the components it has (weights rescaled over them);
    NaN where the scheme gives weight to none of them."""
    used = normalised[weights.index]
    present = used.notna()
    weight_present = present.mul(weights, axis=1).sum(axis=1)
    total = used.fillna(0.0).mul(weights, axis=1).sum(axis=1)
    return (total / weight_present).where(weight_present > 0)


def rank_periods(index: pd.Series) -> pd.Series:
    """1 = the highest index; ties share the best rank; no index, no rank."""
    return index.rank(ascending=False, method="min").astype("Int64")


def sensitivity_table(index: pd.DataFrame) -> pd.DataFrame:
    """Per period and normalisation: reference index and rank, the band of index values and rank range."""
    keys = ["period", "normalisation"]
    spread = index.groupby(keys).agg(
        index_min=("index", "min"),
        index_max=("index", "max"),
        rank_min=("rank", "min"),
        rank_max=("rank", "max"),
        n_schemes=("scheme", "nunique"),
    )
    reference = (
        index[index["scheme"] == REFERENCE_SCHEME]
        .set_index(keys)[["index", "rank"]]
        .rename(columns={"index": "index_reference", "rank": "rank_reference"})
    )
    table = reference.join(spread).reset_index()
    table["rank_range"] = table["rank_max"] - table["rank_min"]
    return table[list(SENSITIVITY_COLUMNS)]


def _index_rows(normalised: pd.DataFrame, weights: pd.Series, method: str, scheme: str) -> pd.DataFrame:
    index = aggregate(normalised, weights)
    return pd.DataFrame(
        {
            "period": normalised.index,
            "normalisation": method,
            "scheme": scheme,
            "index": index.to_numpy(),
            "rank": rank_periods(index).to_numpy(),
            "n_components": normalised[weights.index].notna().sum(axis=1).to_numpy(dtype=int),
        }
    )


def _long(normalised: pd.DataFrame, method: str) -> pd.DataFrame:
    frame = normalised.rename_axis("period").reset_index().melt(id_vars="period", var_name="component")
    frame.insert(2, "normalisation", method)
    return frame.dropna(subset=["value"]).sort_values(["period", "component"], ignore_index=True)


def _weights_frame(weights: dict[str, pd.Series], group: pd.Series) -> pd.DataFrame:
    rows = [
        {"scheme": scheme, "component": component, "group": group[component], "weight": float(weight)}
        for scheme, series in weights.items()
        for component, weight in series.items()
    ]
    return pd.DataFrame(rows, columns=list(WEIGHT_COLUMNS))
