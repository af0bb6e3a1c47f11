//go:build unix && !linux

package embedpg

import "syscall"

// setPdeathsig: only Linux can tie postgres's life to Gorgon's.
func setPdeathsig(*syscall.SysProcAttr) {}

// looksLikePostgres cannot check cheaply here; a live pid is taken to be postgres.
func looksLikePostgres(int) bool { return true }
