module example.invalid/e2e/vaultstub

go 1.19
