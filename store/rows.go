package store

import (
	"encoding/binary"
	"errors"

	"sufficiency/ssda903"
)

// EncodeRows packs the rows of one table, exactly as read (line, values, and
// the platform layout's LA and YEAR), into a compact byte string. Stores keep
// every raw table of a council-year this way, so a later import can stitch
// and validate against it as it was read.
func EncodeRows(rows []ssda903.Row) []byte {
	n := 8
	for _, r := range rows {
		n += 8 + len(r.LA)
		for _, v := range r.Values {
			n += 2 + len(v)
		}
	}
	b := make([]byte, 0, n)
	b = binary.AppendUvarint(b, uint64(len(rows)))
	for _, r := range rows {
		b = binary.AppendUvarint(b, uint64(max(r.Line, 0)))
		b = binary.AppendUvarint(b, uint64(max(r.Year, 0)))
		b = binary.AppendUvarint(b, uint64(len(r.LA)))
		b = append(b, r.LA...)
		b = binary.AppendUvarint(b, uint64(len(r.Values)))
		for _, v := range r.Values {
			b = binary.AppendUvarint(b, uint64(len(v)))
			b = append(b, v...)
		}
	}
	return b
}

var errCorruptRows = errors.New("stored rows are corrupt")

// DecodeRows unpacks rows written by EncodeRows.
func DecodeRows(b []byte) ([]ssda903.Row, error) {
	pos := 0
	next := func() (uint64, error) {
		v, n := binary.Uvarint(b[pos:])
		if n <= 0 {
			return 0, errCorruptRows
		}
		pos += n
		return v, nil
	}
	str := func() (string, error) {
		l, err := next()
		if err != nil {
			return "", err
		}
		if l > uint64(len(b)-pos) {
			return "", errCorruptRows
		}
		s := string(b[pos : pos+int(l)])
		pos += int(l)
		return s, nil
	}
	count, err := next()
	if err != nil {
		return nil, err
	}
	if count > uint64(len(b)) {
		return nil, errCorruptRows
	}
	rows := make([]ssda903.Row, count)
	for i := range rows {
		line, err := next()
		if err != nil {
			return nil, err
		}
		year, err := next()
		if err != nil {
			return nil, err
		}
		la, err := str()
		if err != nil {
			return nil, err
		}
		nv, err := next()
		if err != nil {
			return nil, err
		}
		if nv > uint64(len(b)-pos) {
			return nil, errCorruptRows
		}
		vals := make([]string, nv)
		for j := range vals {
			if vals[j], err = str(); err != nil {
				return nil, err
			}
		}
		rows[i] = ssda903.Row{Line: int(line), Year: int(year), LA: la, Values: vals}
	}
	if pos != len(b) {
		return nil, errCorruptRows
	}
	return rows, nil
}
