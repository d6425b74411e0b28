package supply

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sufficiency/care"
)

// TestClosedRoundTrip: settings that have closed are written to closed.csv
// only when there are some, read back with their dates, and a close date
// before the registration, or none, is refused.
func TestClosedRoundTrip(t *testing.T) {
	dir := t.TempDir()
	open := care.Provision{ID: "SC1", Kind: care.KindChildrensHome, Council: "E08000021", Places: 2}
	set := Set{Provisions: []care.Provision{open}}
	if err := WriteDir(dir, set); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, ClosedFile)); !os.IsNotExist(err) {
		t.Fatalf("closed.csv written with nothing closed: %v", err)
	}
	set.Closed = []care.Provision{{ID: "SYN00001", Kind: care.KindChildrensHome, Sector: care.SectorPrivate, Council: "E08000021",
		Postcode: "NE1 4", Places: 4, Registered: care.Date(2010, 5, 1), Closed: care.Date(2019, 6, 30)}}
	if err := WriteDir(dir, set); err != nil {
		t.Fatal(err)
	}
	got, err := ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Closed) != 1 || got.Closed[0].ID != "SYN00001" || !got.Closed[0].Closed.Equal(care.Date(2019, 6, 30)) ||
		!got.Closed[0].Registered.Equal(care.Date(2010, 5, 1)) || got.Closed[0].Places != 4 || len(got.Provisions) != 1 {
		t.Fatalf("read back %+v", got)
	}
	for _, bad := range []string{
		"ID,KIND,COUNCIL,REGISTERED,CLOSED\nSYN1,childrens_home,E08000021,01/05/2020,01/05/2019\n",
		"ID,KIND,COUNCIL,CLOSED\nSYN1,childrens_home,E08000021,\n",
	} {
		if _, err := ReadClosed(strings.NewReader(bad), "closed.csv"); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}
