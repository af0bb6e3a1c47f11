//go:build !unix

package password

// workArea returns n zeroed words (on the heap: see workarea_unix.go).
func workArea(n int) ([]uint32, func()) { return make([]uint32, n), func() {} }
