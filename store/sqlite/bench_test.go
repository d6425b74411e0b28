package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/ssda903"
	"sufficiency/store"
)

// benchImport builds an import like ten years of a large region: rows
// episode rows in the raw Episodes tables (spread over ten collection years),
// the same number of stitched episodes, and one child (with a Header row) per
// four episodes.
func benchImport(rows int) store.Import {
	const years = 10
	imp := store.Import{Council: "E12000002"}
	nChildren := rows / 4
	for i := 0; i < nChildren; i++ {
		imp.Children = append(imp.Children, care.Child{Council: imp.Council, ID: fmt.Sprintf("C%07d", i), Sex: care.Female,
			DOB: care.Date(2005+i%15, time.Month(1+i%12), 1+i%28), Ethnicity: "WBRI", UPN: fmt.Sprintf("A%012d", i)})
	}
	placements := []care.PlacementType{"U4", "U1", "K2", "P1", "H5", "U6"}
	rets := make([]*ssda903.Return, years)
	for y := range rets {
		rets[y] = &ssda903.Return{Council: imp.Council, Year: 2016 + y, Tables: map[ssda903.TableName]*ssda903.Table{
			ssda903.Episodes: {Name: ssda903.Episodes, File: fmt.Sprintf("%d/episodes.csv", 2016+y), Layout: ssda903.LayoutDfECSV},
			ssda903.Header:   {Name: ssda903.Header, File: fmt.Sprintf("%d/header.csv", 2016+y), Layout: ssda903.LayoutDfECSV},
		}}
		imp.Years = append(imp.Years, 2016+y)
	}
	for i := 0; i < rows; i++ {
		c := imp.Children[i/4]
		y := (i / 4) % years
		start := care.Date(2015+y, time.Month(4+i%4), 1+i%28)
		e := care.Episode{Council: imp.Council, ChildID: c.ID, Start: start, End: start.AddDate(0, 1, 0), ReasonNew: "P", LegalStatus: "C2",
			CategoryOfNeed: "N1", Placement: placements[i%len(placements)], Provider: care.ProviderPrivate, ReasonEnded: "X1",
			ReasonPlaceChange: "CARPL", HomePostcode: "M1 1", PlacementPostcode: "M14 5", URN: "SC123456", WeeklyCost: 120000,
			Funding: care.Funding{SocialCare: 100000, Education: 20000}}
		imp.Episodes = append(imp.Episodes, e)
		t := rets[y].Tables[ssda903.Episodes]
		t.Rows = append(t.Rows, ssda903.Row{Line: len(t.Rows) + 2, Values: []string{c.ID, ssda903.FormatDate(e.Start), e.ReasonNew, e.LegalStatus,
			e.CategoryOfNeed, string(e.Placement), string(e.Provider), ssda903.FormatDate(e.End), e.ReasonEnded, e.ReasonPlaceChange,
			e.HomePostcode, e.PlacementPostcode, e.URN}})
		if i%4 == 0 {
			h := rets[y].Tables[ssda903.Header]
			h.Rows = append(h.Rows, ssda903.Row{Line: len(h.Rows) + 2, Values: []string{c.ID, "2", ssda903.FormatDate(c.DOB), "WBRI", c.UPN, "", ""}})
		}
	}
	imp.Returns = rets
	return imp
}

// BenchmarkImport measures ImportReturns of 1,000,000 raw episode rows plus
// 1,000,000 stitched episodes and 250,000 children into a fresh SQLite file,
// reporting episode rows per second (of the file) and peak heap.
//
//	go test ./store/sqlite -run '^$' -bench Import -benchtime 1x
func BenchmarkImport(b *testing.B) {
	for _, rows := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprint(rows), func(b *testing.B) {
			imp := benchImport(rows)
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			base := ms.HeapAlloc
			b.ResetTimer()
			var peak uint64
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				db, err := Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
				if err != nil {
					b.Fatal(err)
				}
				imp.Progress = func(done, total int) {
					runtime.ReadMemStats(&ms)
					if ms.HeapAlloc > peak {
						peak = ms.HeapAlloc
					}
				}
				b.StartTimer()
				if _, err := db.ImportReturns(context.Background(), imp); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				db.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "episode-rows/s")
			b.ReportMetric(float64(store.TotalRows(imp))*float64(b.N)/b.Elapsed().Seconds(), "rows-written/s")
			b.ReportMetric(float64(peak-base)/(1<<20), "peak-extra-heap-MiB")
		})
	}
}
