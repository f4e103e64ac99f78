module example.com/e2e/app

go 1.23
