package main

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestProject(t *testing.T) {
	in := [][]string{{"a", "b", "c"}, {"1", "2", "3"}, {"4", "5"}}
	got, err := project(in, []string{"c", "a"})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"c", "a"}, {"3", "1"}, {"", "4"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("project = %v, want %v", got, want)
	}
	if _, err := project(in, []string{"z"}); err == nil {
		t.Error("missing column not reported")
	}
}

func TestAddCentroids(t *testing.T) {
	las := [][]string{{"la_code", "la_name"}, {"E1", "One"}}
	sectors := [][]string{
		{"sector", "easting", "northing", "n_postcodes_with_coords", "cssr_code"},
		{"A1 1", "1000", "2000", "1", "E1"},
		{"A1 2", "4000", "5000", "2", "E1"},
		{"A1 3", "", "", "0", "E1"}, // no coordinates: ignored
		{"B1 1", "9", "9", "5", "E2"},
	}
	got, err := addCentroids(las, sectors)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"la_code", "la_name", "centroid_easting", "centroid_northing"}, {"E1", "One", "3000", "4000"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("addCentroids = %v, want %v", got, want)
	}
	if _, err := addCentroids([][]string{{"la_code"}, {"E9"}}, sectors); err == nil {
		t.Error("council without sectors not reported")
	}
}

func TestReadCSVStripsBOM(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.csv")
	if err := os.WriteFile(p, []byte("\xef\xbb\xbf a ,b\n1,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	recs, err := readCSV(p)
	if err != nil || recs[0][0] != "a" || recs[1][1] != "2" {
		t.Errorf("readCSV = %v, %v", recs, err)
	}
	if err := run("", t.TempDir()); err == nil {
		t.Error("run without -src should fail")
	}
}
