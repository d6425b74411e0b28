package rules

import "testing"

// TestContinuityRecodedPlacements: 503D accepts a placement carried over
// from last year under its replacement code when the code list changed
// (H5 → K3 in 2024/25 and 2025/26, Z1 → Z11–Z14 in 2025/26), and nothing
// else.
func TestContinuityRecodedPlacements(t *testing.T) {
	cases := []struct {
		name      string
		year      int
		prev, cur string
		want      int // 503D findings
	}{
		{"H5 to K3 in 2024/25", 2025, "H5", "K3", 0},
		{"H5 to K3 in 2025/26", 2026, "H5", "K3", 0},
		{"Z1 to Z11 in 2025/26", 2026, "Z1", "Z11", 0},
		{"Z1 to Z12 in 2025/26", 2026, "Z1", "Z12", 0},
		{"Z1 to Z13 in 2025/26", 2026, "Z1", "Z13", 0},
		{"Z1 to Z14 in 2025/26", 2026, "Z1", "Z14", 0},
		{"unchanged", 2026, "U4", "U4", 0},
		{"ErrZ1ToZ12Before2025_26", 2025, "Z1", "Z12", 1},
		{"ErrZ1ToOtherType", 2026, "Z1", "U4", 1},
		{"ErrH5ToK2", 2026, "H5", "K2", 1},
		{"ErrK3ToH5", 2026, "K3", "H5", 1},
		{"ErrZ12ToZ1", 2026, "Z12", "Z1", 1},
		{"ErrH5ToK3In2023_24", 2024, "H5", "K3", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cur := parseFixture(tc.year, baseCurrent)
			prev := parseFixture(tc.year-1, basePrevious)
			// C1's first episode this year is the one open at the end of last year.
			cur.row(t, E, "C1", 0)["PLACE"] = tc.cur
			prev.row(t, E, "C1", 0)["PLACE"] = tc.prev
			rep := Check(cur.build(), prev.build(), testOptions())
			if got := count(rep, "503D"); got != tc.want {
				t.Fatalf("503D findings %d, want %d (first: %s)", got, tc.want, first(rep, "503D"))
			}
		})
	}
}
