package market

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"sufficiency/care"
)

// OwnerInfo is what is known of an owner group beyond the register: the
// ultimate owner (parent company or fund) and the kind of ownership
// ("private equity", "listed company", "charity", "local authority", ...),
// from public sources such as company accounts, Companies House or the
// CMA's market study. The Ofsted register names only the owner organisation.
type OwnerInfo struct {
	Group         string
	UltimateOwner string
	Ownership     string
}

// ownerColumns are the columns of an owner groups file.
var ownerColumns = []string{"owner_organisation", "group", "ultimate_owner", "ownership"}

// ParseOwnerGroups reads an owner groups file: CSV with the header
// owner_organisation,group,ultimate_owner,ownership (the last two may be
// blank), one row per owner organisation as the Ofsted register names it.
// It returns the owner → group map Analyse uses and what is known of each
// group. Errors are EINVALID naming the line and what to fix.
func ParseOwnerGroups(r io.Reader) (map[string]string, map[string]OwnerInfo, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, care.Errorf(care.EINVALID, "the owner groups file is empty: give the header %s and a row per owner organisation", strings.Join(ownerColumns, ","))
	}
	if err != nil {
		return nil, nil, care.Errorf(care.EINVALID, "the owner groups file is not CSV: %v", err)
	}
	for i, c := range ownerColumns {
		if i >= len(head) || strings.TrimSpace(strings.TrimPrefix(strings.ToLower(head[i]), "\ufeff")) != c {
			return nil, nil, care.Errorf(care.EINVALID, "owner groups file line 1: the header must be %s", strings.Join(ownerColumns, ","))
		}
	}
	groups := map[string]string{}
	info := map[string]OwnerInfo{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, care.Errorf(care.EINVALID, "owner groups file line %d: %v", line, err)
		}
		if len(rec) != len(ownerColumns) {
			return nil, nil, care.Errorf(care.EINVALID, "owner groups file line %d: %d fields, want %d (%s)", line, len(rec), len(ownerColumns), strings.Join(ownerColumns, ","))
		}
		owner, group := strings.TrimSpace(rec[0]), strings.TrimSpace(rec[1])
		if owner == "" || group == "" {
			return nil, nil, care.Errorf(care.EINVALID, "owner groups file line %d: owner_organisation and group must both be given", line)
		}
		if prev, ok := groups[owner]; ok && prev != group {
			return nil, nil, care.Errorf(care.EINVALID, "owner groups file line %d: %q is already in group %q; give each owner one group", line, owner, prev)
		}
		groups[owner] = group
		oi := OwnerInfo{Group: group, UltimateOwner: strings.TrimSpace(rec[2]), Ownership: strings.TrimSpace(rec[3])}
		if prev, ok := info[group]; ok && (oi.UltimateOwner != "" && prev.UltimateOwner != "" && oi.UltimateOwner != prev.UltimateOwner ||
			oi.Ownership != "" && prev.Ownership != "" && oi.Ownership != prev.Ownership) {
			return nil, nil, care.Errorf(care.EINVALID, "owner groups file line %d: group %q has two different ultimate owners or ownerships; give one", line, group)
		} else if ok {
			if oi.UltimateOwner == "" {
				oi.UltimateOwner = prev.UltimateOwner
			}
			if oi.Ownership == "" {
				oi.Ownership = prev.Ownership
			}
		}
		info[group] = oi
	}
	if len(groups) == 0 {
		return nil, nil, care.Errorf(care.EINVALID, "the owner groups file has a header but no rows")
	}
	return groups, info, nil
}

// OwnershipRow is the places held under one kind of ownership.
type OwnershipRow struct {
	Ownership string
	Groups    int
	Settings  int
	Places    int
	Pct       float64
}

func ownershipLabel(s string) string {
	if s == "" {
		return "Not known"
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
