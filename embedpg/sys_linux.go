package embedpg

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
)

// setPdeathsig makes the kernel send postgres SIGINT (fast shutdown) when Gorgon exits without
// stopping it (crash, SIGKILL), so no orphan server keeps the data dir locked. The signal is tied
// to the OS thread that started postgres; Go only retires threads of goroutines that exit while
// locked to them, which Gorgon does not do.
func setPdeathsig(attr *syscall.SysProcAttr) { attr.Pdeathsig = syscall.SIGINT }

// looksLikePostgres tells a live postgres from an unrelated process that reused a stale
// postmaster.pid's pid (e.g. after a reboot in a container).
func looksLikePostgres(pid int) bool {
	cmdline, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err != nil {
		// Unreadable (another user, hidepid): assume it is, and let the user decide.
		return true
	}
	return bytes.Contains(cmdline, []byte("postgres")) || bytes.Contains(cmdline, []byte("postmaster"))
}
