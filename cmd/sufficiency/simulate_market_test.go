package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSimulateMarket(t *testing.T) {
	args := []string{"simulate-market", "--referrals", matchTestdata + "region_referrals.json", "--supply", matchTestdata + "region_supply.json",
		"--from", "2026-01-05", "--to", "2026-02-01"}
	out, errOut, code := runCLI(t, nil, args...)
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	for _, want := range []string{"first come", "daily batch", "weekly batch", "mean distance (miles)", "placed over 20 miles",
		"placed in area", "sibling groups split", "unplaced children", "total weekly cost", "mean wait (days)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	out, _, code = runCLI(t, nil, append(args, "--format", "json")...)
	var res []struct {
		Mode     string  `json:"mode"`
		Children int     `json:"children"`
		Placed   int     `json:"placed"`
		Unplaced int     `json:"unplaced"`
		Wait     float64 `json:"mean_wait_days"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != 0 {
		t.Fatalf("code %d err %v", code, err)
	}
	if len(res) != 3 || res[0].Mode != "first_come" || res[2].Mode != "weekly" {
		t.Fatalf("%+v", res)
	}
	for _, r := range res {
		if r.Children == 0 || r.Placed+r.Unplaced != r.Children || r.Children != res[0].Children {
			t.Fatalf("%+v", r)
		}
	}
	if res[2].Wait < res[1].Wait {
		t.Fatalf("weekly batching waits less than daily: %+v", res)
	}
}

func TestSimulateMarketErrors(t *testing.T) {
	_, _, code := runCLI(t, nil, "simulate-market", "--supply", matchTestdata+"supply.json")
	if code != 2 {
		t.Fatalf("missing referrals: code %d", code)
	}
	_, _, code = runCLI(t, nil, "simulate-market", "--referrals", matchTestdata+"region_referrals.json", "--supply", matchTestdata+"supply.json", "--from", "1/1/2026")
	if code != 2 {
		t.Fatalf("bad date: code %d", code)
	}
}
