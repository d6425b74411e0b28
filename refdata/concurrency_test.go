package refdata

import (
	"sync"
	"testing"
)

// TestConcurrentFirstUse loads every data set from many goroutines at once;
// run with -race to check the lazy loaders.
func TestConcurrentFirstUse(t *testing.T) {
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if len(Councils()) != 153 || len(Providers()) != 5600 || len(CLATotals("Kent")) == 0 ||
				len(NationalSeries()) == 0 || len(National(Ceased, 2024)) == 0 || len(PopulationSeries("Kent")) == 0 ||
				len(ReferenceFigures()) == 0 || len(PostcodeSectors()) == 0 {
				t.Error("a data set came back empty")
			}
			if _, ok := PlacementMix("Kent", 2023); !ok {
				t.Error("no Kent mix")
			}
			if _, ok := Spend("Kent"); !ok {
				t.Error("no Kent spend")
			}
		}()
	}
	wg.Wait()
}
