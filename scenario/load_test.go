package scenario

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"sufficiency/analysis"
	"sufficiency/care"
	"sufficiency/ssda903"
	"sufficiency/store"
)

// fakeStore holds children and episodes by council.
type fakeStore struct {
	children map[string][]care.Child
	episodes map[string][]care.Episode
	fail     string
}

func (f *fakeStore) Councils(context.Context) ([]store.CouncilSummary, error) { return nil, nil }
func (f *fakeStore) Children(_ context.Context, c string) ([]care.Child, error) {
	if c == f.fail {
		return nil, care.Errorf(care.EINTERNAL, "read %s", c)
	}
	return f.children[c], nil
}
func (f *fakeStore) Episodes(_ context.Context, c string) ([]care.Episode, error) {
	return f.episodes[c], nil
}
func (f *fakeStore) Provisions(context.Context, store.ProvisionFilter) ([]care.Provision, error) {
	return nil, nil
}
func (f *fakeStore) Returns(context.Context, string, []int) ([]*ssda903.Return, error) {
	return nil, nil
}
func (f *fakeStore) EpisodesWhere(_ context.Context, q store.EpisodeQuery) ([]care.Episode, error) {
	var all []care.Episode
	for _, es := range f.episodes {
		all = append(all, es...)
	}
	return store.FilterEpisodes(all, q), nil
}

// TestLoadAsAnalysis: the parallel read gives what analysis.Load gives,
// in the same order, and an error of any council.
func TestLoadAsAnalysis(t *testing.T) {
	f := &fakeStore{children: map[string][]care.Child{}, episodes: map[string][]care.Episode{}}
	councils := []string{"E09", "E01", "E05", "E03", "E07", "E02", "E08"}
	for i, c := range councils {
		for j := 0; j <= i; j++ {
			f.children[c] = append(f.children[c], care.Child{Council: c, ID: fmt.Sprint(j)})
			f.episodes[c] = append(f.episodes[c], care.Episode{Council: c, ChildID: fmt.Sprint(j)})
		}
	}
	got, err := Load(context.Background(), f, councils)
	if err != nil {
		t.Fatal(err)
	}
	want, err := analysis.Load(context.Background(), f, analysis.Scope{Councils: councils}, false)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("parallel load differs from analysis.Load")
	}
	f.fail = "E05"
	if _, err := Load(context.Background(), f, councils); err == nil {
		t.Fatal("a failed read was not reported")
	}
}

// TestProvisionsInScope: the scenario's supply of its councils is what
// analysis.Provisions gives for them (here the Ofsted register's homes).
func TestProvisionsInScope(t *testing.T) {
	f := &fakeStore{}
	councils := []string{"E08000037", "E08000021"}
	got, err := provisionsIn(context.Background(), f, councils)
	if err != nil {
		t.Fatal(err)
	}
	all, err := analysis.Provisions(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	var want []care.Provision
	for _, p := range all {
		if p.Council == councils[0] || p.Council == councils[1] {
			want = append(want, p)
		}
	}
	if len(want) == 0 || !reflect.DeepEqual(got, want) {
		t.Fatalf("%d provisions in scope, want the %d of analysis.Provisions", len(got), len(want))
	}
}
