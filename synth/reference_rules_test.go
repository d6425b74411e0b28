package synth

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"sufficiency/refdata"
	"sufficiency/supply"
)

// TestReferenceURNAndSocialWorkerRules: the returns satisfy the DfE rules
// 218, 1008, 242, SW01STG1, SW01bSTG1 and SW15STG2 as the DfE's reference
// validator (csc-validator-be-903) implements them, which are stricter than
// their rule text:
//   - 218: every episode ending in the year or open needs a URN unless its
//     PLACE is P1, P3, R1, R2, R5, T0–T4 or other (Z1, Z11–Z14), or (to
//     2023/24) H5 or P2: so foster (U1–U6) and adoption (A3–A6) placements
//     and family centres (R3) too;
//   - 1008 (with the Ofsted register and the supply's closed.csv as the
//     provider list, open and closed) and 242: a URN is on the register or
//     a closed home the supply lists, or XXXXXXX on a foster or adoption
//     placement;
//   - SW01STG1, SW01bSTG1, SW15STG2: every social worker episode has SW_ID,
//     SW_DECOM and SW_REASON, open or ended.
func TestReferenceURNAndSocialWorkerRules(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if _, err := Generate(context.Background(), Config{Out: dir, Councils: []string{"E06000001", "E08000021"}, From: 2015, To: 2025, Seed: 2}); err != nil {
		t.Fatal(err)
	}
	set, err := supply.ReadDir(filepath.Join(dir, "supply"))
	if err != nil {
		t.Fatal(err)
	}
	closed := map[string]bool{}
	for _, p := range set.Closed {
		closed[p.ID] = true
	}
	exempt := map[string]bool{"P1": true, "P3": true, "R1": true, "R2": true, "R5": true,
		"T0": true, "T1": true, "T2": true, "T3": true, "T4": true, "Z1": true, "Z11": true, "Z12": true, "Z13": true, "Z14": true}
	seen := map[string]int{}
	for _, council := range []string{"E06000001", "E08000021"} {
		for y := 2015; y <= 2025; y++ {
			ydir := filepath.Join(dir, council, strconv.Itoa(y))
			start := strconv.Itoa(y-1) + "0401"
			for _, row := range readCSV(t, filepath.Join(ydir, "episodes.csv")) {
				place, dec, urn := row["PLACE"], ymd(row["DEC"]), row["URN"]
				ends := dec == "" || dec >= start
				if urn == "" && ends && !exempt[place] && !((place == "H5" || place == "P2") && y <= 2024) {
					t.Errorf("%s %d child %s: PLACE %s ending %q has no URN (218)", council, y, row["CHILD"], place, row["DEC"])
				}
				switch {
				case urn == "":
				case urn == notRegistered:
					if !strings.HasPrefix(place, "U") && !strings.HasPrefix(place, "A") {
						t.Errorf("%s %d child %s: XXXXXXX on PLACE %s (242)", council, y, row["CHILD"], place)
					}
				default:
					if _, ok := refdata.ProviderByURN(urn); !ok && !closed[urn] {
						t.Errorf("%s %d child %s: URN %s not on the register (1008)", council, y, row["CHILD"], urn)
					}
				}
				if urn != "" {
					seen[place[:1]]++
				}
			}
			if y < 2024 {
				continue
			}
			for _, row := range readCSV(t, filepath.Join(ydir, "swepisodes.csv")) {
				if row["SW_ID"] == "" || row["SW_DECOM"] == "" || row["SW_REASON"] == "" {
					t.Errorf("%s %d child %s: social worker episode %v lacks an ID, a start or a reason", council, y, row["CHILD"], row)
				}
			}
		}
	}
	for _, k := range []string{"U", "A", "K"} {
		if seen[k] == 0 {
			t.Errorf("no %s placement with a URN: %v", k, seen)
		}
	}
}

func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// ymd turns DD/MM/YYYY into YYYYMMDD ("" stays "").
func ymd(s string) string {
	if len(s) != 10 {
		return s
	}
	return s[6:] + s[3:5] + s[:2]
}
