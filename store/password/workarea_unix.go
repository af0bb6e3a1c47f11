//go:build unix

package password

import (
	"syscall"
	"unsafe"
)

// workArea returns n zeroed words mapped from the kernel outside Go's heap (the collector never
// sees them, so they neither count towards GOMEMLIMIT nor leave garbage behind), and the
// function that gives them back; on failure it falls back to the heap.
func workArea(n int) ([]uint32, func()) {
	b, err := syscall.Mmap(-1, 0, 4*n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return make([]uint32, n), func() {}
	}
	return unsafe.Slice((*uint32)(unsafe.Pointer(&b[0])), n), func() { _ = syscall.Munmap(b) }
}
