//go:build !unix

package embedpg

import (
	"errors"
	"os"
	"syscall"
)

const exeSuffix = ".exe"

func platformSupported() error {
	return errors.New("embedpg: the embedded PostgreSQL cluster is not supported on this OS; set DATABASE_URL")
}

func procAttr(*runAs, bool) *syscall.SysProcAttr { return nil }
func interrupt(p *os.Process) error              { return p.Kill() }
func quit(p *os.Process) error                   { return p.Kill() }
func pidAlive(int) bool                          { return false }
func looksLikePostgres(int) bool                 { return false }
func fileOwner(string) (uid, gid int, err error) { return 0, 0, errors.ErrUnsupported }
