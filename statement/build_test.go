package statement

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"sufficiency/analysis"
	"sufficiency/care"
	"sufficiency/ssda903"
	"sufficiency/store"
	"sufficiency/tabular"
	"sufficiency/workflow"
)

// fakeStore is a hand-made council: Gateshead's children (synthetic, made
// here) with two years of returns and an OC3 table.
type fakeStore struct {
	children []care.Child
	episodes []care.Episode
	oc3      *ssda903.Table
	mu       sync.Mutex // guards reads: analysis reads at once
	reads    []string
	codes    []string // councils loaded, in order
}

const gateshead = "E08000037"

func (f *fakeStore) Councils(context.Context) ([]store.CouncilSummary, error) {
	var out []store.CouncilSummary
	for _, code := range f.codes {
		cs, es := f.of(code)
		out = append(out, store.CouncilSummary{Council: code, Years: []int{2023, 2024, 2025}, Children: len(cs), Episodes: len(es), Span: store.SpanOf(es)})
	}
	return out, nil
}

// of returns one council's children and episodes.
func (f *fakeStore) of(code string) ([]care.Child, []care.Episode) {
	var cs []care.Child
	var es []care.Episode
	for _, c := range f.children {
		if c.Council == code {
			cs = append(cs, c)
		}
	}
	for _, e := range f.episodes {
		if e.Council == code {
			es = append(es, e)
		}
	}
	return cs, es
}

func (f *fakeStore) EpisodesWhere(_ context.Context, q store.EpisodeQuery) ([]care.Episode, error) {
	f.note("episodes where")
	return store.FilterEpisodes(f.episodes, q), nil
}

func (f *fakeStore) Children(_ context.Context, c string) ([]care.Child, error) {
	f.note("children " + c)
	cs, _ := f.of(c)
	return cs, nil
}

func (f *fakeStore) Episodes(_ context.Context, c string) ([]care.Episode, error) {
	f.note("episodes " + c)
	_, es := f.of(c)
	return es, nil
}

// note records a read.
func (f *fakeStore) note(read string) {
	f.mu.Lock()
	f.reads = append(f.reads, read)
	f.mu.Unlock()
}

func (f *fakeStore) Provisions(context.Context, store.ProvisionFilter) ([]care.Provision, error) {
	return nil, nil
}

func (f *fakeStore) Returns(_ context.Context, c string, years []int) ([]*ssda903.Return, error) {
	f.note(fmt.Sprintf("returns %s %v", c, years))
	var out []*ssda903.Return
	for _, y := range years {
		if slices.Contains(f.codes, c) && y == 2025 {
			out = append(out, &ssda903.Return{Council: c, Year: 2025, Tables: map[ssda903.TableName]*ssda903.Table{ssda903.OC3: f.oc3}})
		}
	}
	return out, nil
}

// newFake makes n children of Gateshead: a mix of ages, needs, placements
// inside and outside the council, some who left care, with costs.
func newFake(n int) *fakeStore {
	f := &fakeStore{oc3: &ssda903.Table{Name: ssda903.OC3}}
	f.add(gateshead, "G", n)
	acc := []string{"B1", "D1", "U1", "S2", "E1", "K2"}
	act := []string{"F2", "F5", "G5", "P4", "0", "G4"}
	for i := 0; i < 40; i++ {
		dob := care.Date(2004+i%5, time.Month(4+i%9), 2)
		f.oc3.Rows = append(f.oc3.Rows, ssda903.Row{Values: []string{fmt.Sprintf("L%02d", i), dob.Format("02/01/2006"), []string{"YES", "NO"}[i%2], act[i%len(act)], acc[i%len(acc)]}})
	}
	return f
}

// add makes n children of council (ids starting with prefix).
func (f *fakeStore) add(council, prefix string, n int) {
	f.codes = append(f.codes, council)
	places := []struct {
		code care.PlacementType
		prov care.ProviderType
		pc   string
		cost float64
	}{
		{"U4", care.ProviderOwnLA, "NE8 1HH", 420},
		{"U6", care.ProviderPrivate, "NE1 8QH", 880},
		{"U1", care.ProviderOwnLA, "NE8 1HH", 330},
		{"K2", care.ProviderPrivate, "LS1 1UR", 6400},
		{"H5", care.ProviderVoluntary, "NE8 1HH", 1200},
	}
	needs := []string{"N1", "N1", "N4", "N5", "N2", "N8"}
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("%s%03d", prefix, i)
		dob := care.Date(2008+i%16, time.Month(1+i%12), 1+i%27)
		f.children = append(f.children, care.Child{Council: council, ID: id, Sex: []care.Sex{care.Male, care.Female}[i%2], DOB: dob,
			Ethnicity: []string{"WBRI", "WBRI", "MWBA", "AIND", "BAFR", "NOBT"}[i%6],
			Needs:     care.NeedsProfile{Tier: care.NeedsTier(1 + i%4), Disability: i%9 == 0}})
		pl := places[i%len(places)]
		start := care.Date(2022+i%4, time.Month(1+(i*5)%12), 1+i%20)
		e := care.Episode{Council: council, ChildID: id, Start: start, ReasonNew: "S", LegalStatus: []string{"C2", "V2", "E1"}[i%3],
			CategoryOfNeed: needs[i%len(needs)], Placement: pl.code, Provider: pl.prov, HomePostcode: "NE8 1HH", PlacementPostcode: pl.pc,
			WeeklyCost: care.FromPounds(pl.cost)}
		if i%7 == 0 && start.Before(care.Date(2024, time.June, 1)) {
			e.End = start.AddDate(1, 0, 0)
			e.ReasonEnded = []string{"E17", "E4A"}[i%2]
		}
		f.episodes = append(f.episodes, e)
	}
}

func buildFake(t *testing.T, f *fakeStore, suppress bool) *Report {
	t.Helper()
	ctx := context.Background()
	sc, err := analysis.Resolve(ctx, f, analysis.CouncilSpec(gateshead))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Build(ctx, f, sc, Options{Options: analysis.Options{At: "2025-03-31"}, Unsuppressed: !suppress,
		Intentions: "## Fostering\n\n- Recruit 20 more foster households by March 2027 (owner: Head of Fostering)\n", IntentionsSource: "intentions.md",
		Synthetic: true, InPlacers: true, Made: care.Date(2025, time.June, 30)})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// structure is the golden form of a report: sections, the kind of each
// block, every sentence, and each table's title, columns and row count.
func structure(r *Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s | at %s | suppressed %v\n", r.Title, day(r.At), r.Suppressed)
	kinds := []string{"para", "heading", "list", "chart", "table", "council"}
	for _, s := range r.Sections {
		fmt.Fprintf(&b, "\n## %d. %s (#%s)\n", s.Number, s.Title, s.ID)
		for _, bl := range s.Blocks {
			switch bl.Kind {
			case TableBlock:
				var cols []string
				for _, c := range bl.Table.Columns {
					cols = append(cols, c.Name)
				}
				fmt.Fprintf(&b, "- table: %s [%s] %d rows\n", bl.Table.Title, strings.Join(cols, " | "), len(bl.Table.Rows))
			case Figure:
				fmt.Fprintf(&b, "- chart: %s (%d labels, %d series)\n", bl.Chart.Title, len(bl.Chart.Labels), len(bl.Chart.Series))
			case List:
				fmt.Fprintf(&b, "- list: %s\n", strings.Join(bl.Items, " / "))
			default:
				fmt.Fprintf(&b, "- %s: %s\n", kinds[bl.Kind], bl.Text)
			}
		}
	}
	b.WriteString("\n## Sources\n")
	for _, s := range r.Sources {
		fmt.Fprintf(&b, "- %s: %s (%s)\n", s.Name, s.Detail, s.Date)
	}
	return b.String()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./statement -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./statement -update if the change is intended):\n%s", name, firstDiff(string(want), string(got)))
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d\nwant: %s\ngot:  %s", i+1, x, y)
		}
	}
	return ""
}

func TestGoldenStructure(t *testing.T) {
	r := buildFake(t, newFake(90), true)
	golden(t, "gateshead.structure.txt", []byte(structure(r)))
	want := []string{"summary", "needs", "leavers", "placements", "supply", "gap", "cost", "forecast", "intentions", "market-position", "governance"}
	if len(r.Sections) != len(want) {
		t.Fatalf("%d sections, want %d", len(r.Sections), len(want))
	}
	for i, s := range r.Sections {
		if s.ID != want[i] {
			t.Errorf("section %d is %s, want %s", i+1, s.ID, want[i])
		}
	}
}

// TestPublishedReportSuppressesSmallNumbers: with suppression no table of
// the report shows a count of 1 to 4, and no sentence gives one; without it
// they do.
func TestPublishedReportSuppressesSmallNumbers(t *testing.T) {
	f := newFake(90)
	small := func(r *Report) (cells int) {
		for _, tb := range r.Tables() {
			for _, row := range tb.Rows {
				for j, c := range tb.Columns {
					if c.Kind != tabular.Count || c.Public {
						continue
					}
					if n, ok := row[j].(int); ok && n >= 1 && n <= 4 {
						cells++
					}
				}
			}
		}
		return cells
	}
	pub := buildFake(t, f, true)
	if n := small(pub); n != 0 {
		t.Errorf("published statement shows %d counts of 1 to 4", n)
	}
	if !strings.Contains(structure(pub), "fewer than 5") {
		t.Error("expected some sentence to say \"fewer than 5\" with this data")
	}
	raw := buildFake(t, f, false)
	if n := small(raw); n == 0 {
		t.Error("the unsuppressed statement should show some counts of 1 to 4 with this data (or the test proves nothing)")
	}
	var html bytes.Buffer
	if err := WriteHTML(&html, raw); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(html.String(), "Not for publication") {
		t.Error("an unsuppressed statement must say it is not for publication")
	}
}

// TestLeaversFromOC3 checks the OC3 counting against the rows made above.
func TestLeaversFromOC3(t *testing.T) {
	f := newFake(10)
	l := &Leavers{Year: 2025, Accommodation: map[string]int{}}
	l.addOC3(f.oc3, 2025)
	all := l.group("", 17, 21)
	// 40 rows, DOB 2 April/May/... of 2004–2008: ages on 31 March 2025 are 16–20.
	want := 0
	suitable, eet := 0, 0
	for i := 0; i < 40; i++ {
		dob := care.Date(2004+i%5, time.Month(4+i%9), 2)
		age := care.AgeOn(dob, care.Date(2025, time.March, 31))
		if age < 17 || age > 21 {
			continue
		}
		want++
		if []string{"B1", "D1", "U1", "S2", "E1", "K2"}[i%6][1] == '1' {
			suitable++
		}
		if eetCodes[[]string{"F2", "F5", "G5", "P4", "0", "G4"}[i%6]] {
			eet++
		}
	}
	if all.All != want || all.Suitable != suitable || all.EET != eet {
		t.Errorf("got %d leavers, %d suitable, %d EET; want %d, %d, %d", all.All, all.Suitable, all.EET, want, suitable, eet)
	}
	if all.Suitable+all.Unsuitable != all.All {
		t.Errorf("every ACCOM code here is suitable (…1) or not (…2): %d + %d != %d", all.Suitable, all.Unsuitable, all.All)
	}
}

// TestWithoutInPlacers: when other councils' records are not read, no
// table has a column counting their children (it would show zeros).
func TestWithoutInPlacers(t *testing.T) {
	f := newFake(90)
	ctx := context.Background()
	sc, err := analysis.Resolve(ctx, f, analysis.CouncilSpec(gateshead))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Build(ctx, f, sc, Options{Options: analysis.Options{At: "2025-03-31"}, Made: care.Date(2025, time.June, 30)})
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range r.Tables() {
		if tb.ColumnIndex("Other councils' children in the area") >= 0 {
			t.Errorf("%s counts other councils' children without reading them", tb.Title)
		}
	}
	for _, rd := range f.reads {
		if strings.HasPrefix(rd, "episodes ") && rd != "episodes "+gateshead && rd != "episodes where" {
			t.Errorf("read %s", rd)
		}
	}
}

func TestWorkbookHasEveryTableAndSources(t *testing.T) {
	r := buildFake(t, newFake(90), true)
	ts := WorkbookTables(r)
	if ts[0].Title != "Contents" || ts[len(ts)-1].Title != "Sources" {
		t.Fatalf("first %q, last %q", ts[0].Title, ts[len(ts)-1].Title)
	}
	if len(ts) != len(r.Tables())+2 {
		t.Errorf("%d sheets for %d tables", len(ts), len(r.Tables()))
	}
	used := map[string]bool{}
	for _, tb := range ts {
		name := tabular.SheetName(tb.Title, used)
		if name == "" {
			t.Errorf("no sheet name for %q", tb.Title)
		}
	}
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, r); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("PK")) {
		t.Error("not an XLSX (zip) file")
	}
}

// TestRegionStatement: a region of two loaded councils (Gateshead and
// Newcastle upon Tyne, hand-made) speaks of "the 2 councils of the North
// East", never compares the region with itself, and sums the councils'
// forecasts.
func TestRegionStatement(t *testing.T) {
	f := newFake(60)
	f.add("E08000021", "N", 70)
	ctx := context.Background()
	sc, err := analysis.Resolve(ctx, f, analysis.ScopeSpec{Region: "North East"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Build(ctx, f, sc, Options{Options: analysis.Options{At: "2025-03-31"}, InPlacers: true, Made: care.Date(2025, time.June, 30)})
	if err != nil {
		t.Fatal(err)
	}
	got := structure(r)
	golden(t, "north-east.structure.txt", []byte(got))
	for _, want := range []string{"On 31 March 2025, the 2 councils of the North East looked after ", "sum of its 2 councils' medians", "Councils [", "in care in the North East to"} {
		if !strings.Contains(got, want) {
			t.Errorf("region statement lacks %q", want)
		}
	}
	if strings.Contains(got, "above North East (") || strings.Contains(got, "below North East (") || strings.Contains(got, "the North East (") {
		t.Error("the region is compared with its own published figure")
	}
	if !r.Region {
		t.Error("not marked as a region's statement")
	}
}

// withDeclines is the fake with an offers workflow holding declines.
type withDeclines struct {
	*fakeStore
	asked []workflow.DeclineFilter
}

func (d *withDeclines) Declines(_ context.Context, f workflow.DeclineFilter) ([]workflow.DeclineCount, error) {
	d.asked = append(d.asked, f)
	if f.Council != gateshead {
		return nil, nil
	}
	return []workflow.DeclineCount{{Council: gateshead, Provider: "A", Reason: workflow.ReasonNoVacancy, Count: 9},
		{Council: gateshead, Provider: "B", Reason: workflow.ReasonNoVacancy, Count: 4}, {Council: gateshead, Provider: "B", Reason: workflow.ReasonPrice, Count: 6}}, nil
}

func TestGapCountsDeclinesFromTheOffersWorkflow(t *testing.T) {
	st := &withDeclines{fakeStore: newFake(60)}
	ctx := context.Background()
	sc, err := analysis.Resolve(ctx, st, analysis.CouncilSpec(gateshead))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Build(ctx, st, sc, Options{Options: analysis.Options{At: "2025-03-31"}, Made: care.Date(2025, time.June, 30)})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.asked) != 1 || !st.asked[0].From.Equal(care.Date(2024, time.April, 1)) || !st.asked[0].To.Equal(care.Date(2025, time.April, 1)) {
		t.Errorf("asked %+v, want the year 1 April 2024 to 31 March 2025", st.asked)
	}
	got := structure(r)
	for _, want := range []string{"Providers declined referrals 19 times in the year to 31 March 2025; the most common reason was no vacancy (68.4% of declines)",
		"Referrals declined by providers in the year to 31 March 2025, by reason [Reason | Declines | %] 9 rows"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in\n%s", want, got)
		}
	}
}
