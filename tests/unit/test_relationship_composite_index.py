"""The composite index against answers worked out here from the Handbook's definitions, never from the
module's own helpers: min-max values as fractions by hand, z-scores with the statistics module, PCA
weights from numpy's eigendecomposition of the correlation matrix (the module uses an SVD)."""

from __future__ import annotations

import statistics

import numpy as np
import pandas as pd
import pytest

from pipelines.relationship.composite_index import (
    INDEX_COLUMNS,
    SENSITIVITY_COLUMNS,
    composite_index,
)

# Three components over four years; `conflict` counts against the relationship (orientation -1).
SMALL = {
    ("turnover", "trade", 1): {2020: 1.0, 2021: 2.0, 2022: 3.0, 2023: 4.0},
    ("eu_share", "trade", 1): {2020: 10.0, 2021: 30.0, 2022: 20.0, 2023: 40.0},
    ("conflict", "diplomacy", -1): {2020: 5.0, 2021: 3.0, 2022: 4.0, 2023: 1.0},
}


def components_table(spec: dict) -> pd.DataFrame:
    rows = [
        {"period": period, "component": name, "value": value, "orientation": orientation, "group": group}
        for (name, group, orientation), values in spec.items()
        for period, value in values.items()
    ]
    return pd.DataFrame(rows)


def index_of(result, normalisation: str, scheme: str) -> dict:
    rows = result.index[(result.index["normalisation"] == normalisation) & (result.index["scheme"] == scheme)]
    return dict(zip(rows["period"], rows["index"], strict=True))


def ranks_of(result, normalisation: str, scheme: str) -> dict:
    rows = result.index[(result.index["normalisation"] == normalisation) & (result.index["scheme"] == scheme)]
    return dict(zip(rows["period"], rows["rank"], strict=True))


def test_min_max_index_of_a_small_example_worked_by_hand():
    result = composite_index(components_table(SMALL))
    # min-max: turnover 0, 1/3, 2/3, 1; eu_share 0, 2/3, 1/3, 1; -conflict (-5, -3, -4, -1) -> 0, 1/2, 1/4, 1
    assert index_of(result, "minmax", "equal") == pytest.approx({2020: 0.0, 2021: 1.5 / 3, 2022: 1.25 / 3, 2023: 1.0})
    # by group: trade 1/2 shared by two (1/4 each), diplomacy 1/2
    assert index_of(result, "minmax", "equal_by_group") == pytest.approx(
        {2020: 0.0, 2021: 0.25 * (1 / 3 + 2 / 3) + 0.5 * 0.5, 2022: 0.25 * (2 / 3 + 1 / 3) + 0.5 * 0.25, 2023: 1.0}
    )
    # leaving conflict out: 2021 and 2022 tie at 1/2 and share rank 2
    assert index_of(result, "minmax", "leave_out:conflict") == pytest.approx(
        {2020: 0.0, 2021: 0.5, 2022: 0.5, 2023: 1.0}
    )
    assert ranks_of(result, "minmax", "leave_out:conflict") == {2020: 4, 2021: 2, 2022: 2, 2023: 1}
    assert ranks_of(result, "minmax", "equal") == {2020: 4, 2021: 2, 2022: 3, 2023: 1}
    assert tuple(result.index.columns) == INDEX_COLUMNS


def test_z_score_index_of_a_small_example_worked_by_hand():
    result = composite_index(components_table(SMALL))
    z = {}
    for (name, _, orientation), values in SMALL.items():
        oriented = {period: orientation * value for period, value in values.items()}
        mean, sd = statistics.mean(oriented.values()), statistics.stdev(oriented.values())
        z[name] = {period: (value - mean) / sd for period, value in oriented.items()}
    expected = {period: statistics.mean(z[name][period] for name in z) for period in (2020, 2021, 2022, 2023)}
    assert index_of(result, "zscore", "equal") == pytest.approx(expected)


def test_pca_weights_are_the_first_components_squared_loadings():
    result = composite_index(components_table(SMALL))
    names = [name for name, _, _ in SMALL]
    oriented = np.array([[o * values[year] for year in sorted(values)] for (_, _, o), values in SMALL.items()])
    eigenvalues, eigenvectors = np.linalg.eigh(np.corrcoef(oriented))  # rows are components
    first = eigenvectors[:, np.argmax(eigenvalues)]
    loadings = first * np.sqrt(eigenvalues.max())
    expected = loadings**2 / np.sum(loadings**2)
    weights = result.weights[result.weights["scheme"] == "pca"].set_index("component")["weight"]
    assert weights.loc[names].to_numpy() == pytest.approx(expected)
    assert result.pca_explained_share == pytest.approx(eigenvalues.max() / len(names))


def test_orientation_flips_a_component():
    against = composite_index(components_table(SMALL)).normalised
    flipped_spec = {(n, g, -o if n == "conflict" else o): v for (n, g, o), v in SMALL.items()}
    along = composite_index(components_table(flipped_spec)).normalised

    def conflict(table, normalisation):
        rows = table[(table["component"] == "conflict") & (table["normalisation"] == normalisation)]
        return rows.set_index("period")["value"]

    assert conflict(along, "zscore").to_numpy() == pytest.approx(-conflict(against, "zscore").to_numpy())
    assert conflict(along, "minmax").to_numpy() == pytest.approx(1 - conflict(against, "minmax").to_numpy())
    # raw conflict 5, 3, 4, 1: oriented -1 the best year is 2023 (fewest conflicts), +1 it is 2020
    assert conflict(against, "minmax").idxmax() == 2023 and conflict(along, "minmax").idxmax() == 2020


def test_the_missing_data_rule_excludes_a_year_and_rescales_weights_in_the_others():
    spec = {
        ("a", "trade", 1): {2019: 1.0, 2020: 2.0, 2021: 3.0, 2022: 5.0, 2023: 4.0},
        ("b", "trade", 1): {2019: 2.0, 2020: 1.0, 2021: 4.0, 2022: 3.0, 2023: 5.0},
        ("c", "energy", 1): {2019: 3.0, 2020: 4.0, 2022: 1.0, 2023: 2.0},  # no 2021
        ("d", "finance", 1): {2019: 4.0, 2022: 2.0, 2023: 3.0},  # no 2020, 2021
    }
    result = composite_index(components_table(spec))  # default: ceil(0.75 x 4) = 3 of 4 components
    assert result.min_components == 3
    coverage = result.coverage.set_index("period")
    assert coverage.loc[2021, "n_components"] == 2 and not coverage.loc[2021, "has_index"]
    assert 2021 not in set(result.index["period"]) and 2021 not in set(result.sensitivity["period"])

    # normalisation over 2019, 2020, 2022, 2023 only; 2020 averages the three components it has
    kept = [2019, 2020, 2022, 2023]
    minmax = {}
    for (name, _, _), values in spec.items():
        present = [values[p] for p in kept if p in values]
        low, high = min(present), max(present)
        minmax[name] = {p: (values[p] - low) / (high - low) for p in kept if p in values}
    assert minmax["a"] == {2019: 0.0, 2020: 0.25, 2022: 1.0, 2023: 0.75}
    expected_2020 = (minmax["a"][2020] + minmax["b"][2020] + minmax["c"][2020]) / 3
    assert index_of(result, "minmax", "equal")[2020] == pytest.approx(expected_2020)
    assert (
        result.index.set_index(["period", "normalisation", "scheme"]).loc[(2020, "minmax", "equal"), "n_components"]
        == 3
    )

    lenient = composite_index(components_table(spec), min_components=2)
    assert 2021 in set(lenient.index["period"])


def test_the_sensitivity_table_is_reproducible_from_the_components():
    rng = np.random.default_rng(2008)
    names = ["turnover", "eu_share", "crude_share", "fdi_share", "events"]
    orientation = {"turnover": 1, "eu_share": 1, "crude_share": 1, "fdi_share": 1, "events": 1}
    years = list(range(2010, 2024))
    common = rng.normal(size=len(years))
    raw = pd.DataFrame({n: common + rng.normal(0, 0.8, len(years)) for n in names}, index=years)
    spec = {(n, "g" + str(i % 2), orientation[n]): raw[n].to_dict() for i, n in enumerate(names)}
    result = composite_index(components_table(spec), schemes=("equal", "pca", "leave_one_out"))

    z = (raw - raw.mean()) / raw.std(ddof=1)
    schemes = {"equal": z.mean(axis=1)}
    eigenvalues, eigenvectors = np.linalg.eigh(np.corrcoef(raw.to_numpy().T))
    pca = eigenvectors[:, np.argmax(eigenvalues)] ** 2
    schemes["pca"] = (z * (pca / pca.sum())).sum(axis=1)
    for left_out in names:
        schemes[f"leave_out:{left_out}"] = z.drop(columns=left_out).mean(axis=1)
    table = pd.DataFrame(schemes)
    ranks = table.rank(ascending=False, method="min")

    got = result.sensitivity[result.sensitivity["normalisation"] == "zscore"].set_index("period")
    assert tuple(result.sensitivity.columns) == SENSITIVITY_COLUMNS
    assert got["index_reference"].to_numpy() == pytest.approx(table["equal"].to_numpy())
    assert got["index_min"].to_numpy() == pytest.approx(table.min(axis=1).to_numpy())
    assert got["index_max"].to_numpy() == pytest.approx(table.max(axis=1).to_numpy())
    assert got["rank_reference"].tolist() == ranks["equal"].astype(int).tolist()
    assert got["rank_min"].tolist() == ranks.min(axis=1).astype(int).tolist()
    assert got["rank_max"].tolist() == ranks.max(axis=1).astype(int).tolist()
    assert got["rank_range"].tolist() == (ranks.max(axis=1) - ranks.min(axis=1)).astype(int).tolist()
    assert (got["n_schemes"] == 7).all()


def test_pca_is_skipped_with_a_caveat_when_too_few_years_are_complete():
    spec = {(n, g, o): {p: v for p, v in values.items() if p != 2022} for (n, g, o), values in SMALL.items()}
    spec[("extra", "finance", 1)] = {2020: 1.0, 2021: 0.0, 2023: 2.0}
    result = composite_index(components_table(spec))
    assert "pca" not in set(result.index["scheme"])
    assert result.pca_explained_share is None
    assert "PCA weights skipped: 3 periods have all 4 components, 5 needed." in result.caveat


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda t: pd.concat([t, t.iloc[[0]]]), r"component 'turnover' has more than one value for period 2020"),
        (
            lambda t: t.assign(orientation=t["orientation"].where(t["component"] != "eu_share", 0)),
            r"component 'eu_share': orientation must be one value, \+1 or -1",
        ),
        (
            lambda t: t.assign(value=t["value"].where(t["component"] != "conflict", 2.0)),
            r"component 'conflict' cannot be normalised: 1 distinct value\(s\)",
        ),
        (lambda t: t.drop(columns="group"), r"needs columns .*missing \['group'\]"),
    ],
)
def test_bad_components_tables_are_named(change, message):
    with pytest.raises(ValueError, match=message):
        composite_index(change(components_table(SMALL)))
