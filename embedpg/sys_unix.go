//go:build unix

package embedpg

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

const exeSuffix = ""

func platformSupported() error { return nil }

// procAttr runs the child as owner (when Gorgon is root) in its own process group, so a Ctrl-C
// at the terminal reaches Gorgon only and Gorgon decides when postgres stops (after its own
// connections are closed). server additionally asks for a fast shutdown if Gorgon dies.
func procAttr(owner *runAs, server bool) *syscall.SysProcAttr {
	attr := &syscall.SysProcAttr{Setpgid: true}
	if owner != nil {
		// Groups left empty: setgroups([]) drops root's supplementary groups.
		attr.Credential = &syscall.Credential{Uid: uint32(owner.uid), Gid: uint32(owner.gid)}
	}
	if server {
		setPdeathsig(attr)
	}
	return attr
}

// interrupt asks postgres for a fast shutdown.
func interrupt(p *os.Process) error { return p.Signal(syscall.SIGINT) }

// quit asks postgres for an immediate shutdown.
func quit(p *os.Process) error { return p.Signal(syscall.SIGQUIT) }

// pidAlive reports whether a process with that pid exists (EPERM: it does, as another user).
func pidAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

func fileOwner(path string) (uid, gid int, err error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, 0, err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, fmt.Errorf("stat %s: no owner information", path)
	}
	return int(st.Uid), int(st.Gid), nil
}
