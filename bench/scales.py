"""The sizes of the benchmark's datasets (bench/generate.py), importable before Django is set up."""

SCALES: dict[str, dict[str, int]] = {
    # tests/test_bench.py
    "toy": {"districts": 1, "communes": 3, "agencies": 6, "records": 60},
    # one real-sized province (Hòa Bình had 10 districts and ~150 communes before 2025)
    "province": {"districts": 10, "communes": 150, "agencies": 1_500, "records": 200_000},
    # the national unit counts compiled as ONE province (same code path, scope = the province);
    # 63 "districts" so the workbook has as many groups as a national summary has provinces
    "national": {"districts": 63, "communes": 10_000, "agencies": 20_000, "records": 2_000_000},
}
