// Command mkdata rebuilds the embedded reference files of package refdata
// from the published copies (shared/data/public in the project's working
// area): it keeps only the columns the loaders read, adds the council
// centroids in National Grid metres, and gzips the large files. It is a
// development tool, run by hand when the public data are refreshed; the
// product never reads the source directory.
//
//	go run ./refdata/internal/mkdata -src ../shared/data/public -out refdata/data
//
// Then regenerate the compact postcode table that package geo embeds (built
// from these files; geo's tests fail while it is out of date):
//
//	go test ./geo -run TestPostcodeIndexFile -update
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// spec says which columns of one source file to keep and whether to gzip.
type spec struct {
	file string
	keep []string // nil keeps every column
	gz   bool
}

var national = []string{"time_period", "cla_group", "characteristic", "number", "percentage"}

var specs = []spec{
	{"england_childrens_services_las.csv", []string{"la_code", "la_name", "dfe_la_code", "la_type", "region_name", "region_9",
		"centroid_lat", "centroid_lon", "land_area_hectares", "pop_0_17_mye_2024",
		"ilacs_overall_effectiveness", "ilacs_children_in_care", "ilacs_inspection_date"}, false},
	{"dfe_statistical_neighbours_2025.csv", append([]string{"old_la_code", "la_name"}, snCols()...), false},
	{"dfe_cla_la_totals_2010_2025.csv", []string{"time_period", "level", "region_name", "dfe_la_code", "la_code", "la_name",
		"cla_31mar", "starts", "ceases", "pop_0_17", "cla_rate_per_10k", "source"}, true},
	{"dfe_cla_la_31march_by_placement_2021_2025.csv", nil, true},
	{"dfe_cla_national_timeseries_1994_2025.csv", nil, false},
	{"dfe_cla_national_31march_by_characteristics_2020_2024.csv", national, false},
	{"dfe_cla_national_started_2020_2024.csv", national, false},
	{"dfe_cla_national_ceased_2020_2024.csv", national, false},
	{"dfe_cla_national_31march_by_distance_locality_2020_2024.csv", national, false},
	{"dfe_cla_national_31march_by_provider_placement_locality_2020_2024.csv",
		[]string{"time_period", "placement_type", "placement_provider", "number", "percentage"}, false},
	{"ons_population_0_17_by_la_2012_2024.csv", []string{"time_period", "geographic_level", "old_la_code", "new_la_code",
		"la_name", "population_estimate"}, true},
	{"mhclg_ro3_childrens_social_care_2024_25.csv", ro3Cols(), false},
	{"ofsted_providers_2025.csv", []string{"urn", "provision_type", "registration_date", "registration_status", "sector",
		"places", "supported_accommodation_premises", "short_break_only", "multi_building", "local_authority", "la_code",
		"region", "parliamentary_constituency", "owner_organisation", "name", "town", "postcode", "postcode_district",
		"latest_inspection_type", "latest_inspection_date", "rating_overall_experiences", "rating_help_and_protection",
		"rating_leadership", "rating_supported_accommodation"}, true},
	{"ofsted_supply_by_la_2025.csv", nil, false},
	{"ofsted_ilacs_la_judgements_2025.csv", nil, false},
	{"market_and_cost_reference_figures.csv", nil, false},
	{"uk_postcode_district_centroids.csv", []string{"outcode", "postcode_area", "latitude", "longitude", "easting", "northing",
		"grid", "n_postcodes_with_coords", "country", "cssrs_all", "doogal_active_postcodes", "doogal_population_2011",
		"doogal_households_2011", "likely_inactive"}, true},
	{"uk_postcode_sector_centroids.csv", []string{"sector", "outcode", "latitude", "longitude", "easting", "northing",
		"n_postcodes_with_coords", "cssr_code", "cssr_share"}, true},
}

func snCols() []string {
	var c []string
	for i := 1; i <= 10; i++ {
		c = append(c, "SN_"+strconv.Itoa(i))
	}
	return c
}

func ro3Cols() []string {
	c := []string{"la_code", "la_name", "dfe_la_code"}
	for _, stem := range []string{"cla_all", "cla_residential_care", "cla_fostering_services", "cla_uasc", "cla_other",
		"safeguarding_children_and_young_people_s_services", "family_support_services", "youth_justice", "total"} {
		c = append(c, "csc_"+stem+"_total_exp_gbp000", "csc_"+stem+"_net_exp_gbp000")
	}
	return c
}

func main() {
	src := flag.String("src", "", "directory holding the published CSV files (with PROVENANCE.md)")
	out := flag.String("out", "refdata/data", "directory to write the embedded files to")
	flag.Parse()
	if err := run(*src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "mkdata:", err)
		os.Exit(1)
	}
	// geo answers postcode lookups from a compact table generated from
	// these files; its test fails until the table is regenerated.
	fmt.Fprintln(os.Stderr, "mkdata: now regenerate geo's postcode table: go test ./geo -run TestPostcodeIndexFile -update")
}

func run(src, out string) error {
	if src == "" {
		return errors.New("give -src, the directory of published CSV files")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, s := range specs {
		recs, err := readCSV(filepath.Join(src, s.file))
		if err != nil {
			return fmt.Errorf("%s: %w", s.file, err)
		}
		if s.file == "england_childrens_services_las.csv" {
			sectors, err := readCSV(filepath.Join(src, "uk_postcode_sector_centroids.csv"))
			if err != nil {
				return err
			}
			recs, err = addCentroids(recs, sectors)
			if err != nil {
				return err
			}
			s.keep = append(s.keep, "centroid_easting", "centroid_northing")
		}
		recs, err = project(recs, s.keep)
		if err != nil {
			return fmt.Errorf("%s: %w", s.file, err)
		}
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		if err := w.WriteAll(recs); err != nil {
			return err
		}
		name := filepath.Join(out, s.file)
		body := buf.Bytes()
		if s.gz {
			var z bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
			if _, err := zw.Write(body); err != nil {
				return err
			}
			if err := zw.Close(); err != nil {
				return err
			}
			name += ".gz"
			body = z.Bytes()
		}
		// Remove the other form so only one copy is embedded.
		other := filepath.Join(out, s.file)
		if !s.gz {
			other += ".gz"
		}
		_ = os.Remove(other)
		if err := os.WriteFile(name, body, 0o644); err != nil {
			return err
		}
		fmt.Printf("%-75s %6d rows %8d bytes\n", filepath.Base(name), len(recs)-1, len(body))
	}
	return nil
}

func readCSV(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	raw, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	r := csv.NewReader(bytes.NewReader(raw))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, errors.New("empty file")
	}
	for i, h := range recs[0] {
		recs[0][i] = strings.TrimSpace(h)
	}
	return recs, nil
}

// project keeps the named columns, in the given order.
func project(recs [][]string, keep []string) ([][]string, error) {
	if keep == nil {
		return recs, nil
	}
	idx := make([]int, len(keep))
	for i, k := range keep {
		idx[i] = -1
		for j, h := range recs[0] {
			if h == k {
				idx[i] = j
			}
		}
		if idx[i] < 0 {
			return nil, fmt.Errorf("column %q not found", k)
		}
	}
	out := make([][]string, len(recs))
	for r, rec := range recs {
		row := make([]string, len(keep))
		for i, j := range idx {
			if j < len(rec) {
				row[i] = rec[j]
			}
		}
		out[r] = row
	}
	return out, nil
}

// addCentroids appends centroid_easting and centroid_northing to the council
// file: the mean of the sector centroids whose main council is the council,
// weighted by their postcode counts (the published latitude/longitude are the
// mean of the council's postcodes; this is the same at sector resolution, in
// National Grid metres).
func addCentroids(las, sectors [][]string) ([][]string, error) {
	col := func(h []string, name string) int {
		for i, c := range h {
			if c == name {
				return i
			}
		}
		return -1
	}
	ci, ei, ni, wi := col(sectors[0], "cssr_code"), col(sectors[0], "easting"), col(sectors[0], "northing"), col(sectors[0], "n_postcodes_with_coords")
	if ci < 0 || ei < 0 || ni < 0 || wi < 0 {
		return nil, errors.New("sector file lacks cssr_code/easting/northing/n_postcodes_with_coords")
	}
	type acc struct{ e, n, w float64 }
	sums := map[string]*acc{}
	for _, r := range sectors[1:] {
		e, err1 := strconv.ParseFloat(r[ei], 64)
		n, err2 := strconv.ParseFloat(r[ni], 64)
		w, err3 := strconv.ParseFloat(r[wi], 64)
		if r[ci] == "" || err1 != nil || err2 != nil || err3 != nil || w == 0 {
			continue
		}
		a := sums[r[ci]]
		if a == nil {
			a = &acc{}
			sums[r[ci]] = a
		}
		a.e += e * w
		a.n += n * w
		a.w += w
	}
	li := col(las[0], "la_code")
	out := [][]string{append(append([]string(nil), las[0]...), "centroid_easting", "centroid_northing")}
	for _, r := range las[1:] {
		a := sums[r[li]]
		if a == nil {
			return nil, fmt.Errorf("council %s has no postcode sectors", r[li])
		}
		out = append(out, append(append([]string(nil), r...),
			strconv.FormatFloat(a.e/a.w, 'f', 0, 64), strconv.FormatFloat(a.n/a.w, 'f', 0, 64)))
	}
	return out, nil
}
