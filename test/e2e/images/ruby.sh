# test/e2e/images/ruby.sh - sourced by test/e2e/setup.sh (its helpers: new_root, add_debian_shell, users_debian,
# svc_libs, import_img, alias, exists, log, $WORK, $H, $P, $ARCHLIB): the stand-in for ruby:<minor>-slim-bookworm
# (Ruby, issue 14). There is no rubygems.org here, so the stand-in carries the gems the e2e fixture's
# Gemfile.lock pins, already installed where a deployment-mode bundle looks for them.
#
# What it really is: Debian bookworm's Ruby 3.1 (ruby3.1, libruby3.1, rubygems, bundler 2.3) with puma
# 5.6, nio4r 2.5 and rack 2.2 from Debian (`apt-get download`, unpacked, nothing installed on the host),
# at /usr/local/bin/{ruby,bundle,gem} like the official image, GEM_HOME=/usr/local/bundle; those three
# gems (Debian's rubygems-integration layout: gems/, specifications/, extensions/) are copied into
# /usr/local/bundle/ruby/3.1.0, so `bundle install` with BUNDLE_PATH=/usr/local/bundle finds them
# installed and downloads nothing. apt-get is a stub that succeeds only for the generated toolchain
# packages (build-essential git libyaml-dev pkg-config: no gem is compiled here). Every supported
# minor (3.3, 3.4, 4.0) is an alias: the Ruby inside is 3.1. Idempotent: built only when missing.
images_ruby() {
  local x=$WORK/ruby-debs/x d rg=/usr/lib/x86_64-linux-gnu/rubygems-integration/3.1.0 ag=/usr/share/rubygems-integration/all g m
  local t=$H/ruby:3.4-slim-bookworm
  if ! exists "$t"; then
    if [ ! -x "$x/usr/bin/ruby3.1" ]; then
      rm -rf "$WORK/ruby-debs"; mkdir -p "$WORK/ruby-debs/debs" "$x"
      apt-cache show puma >/dev/null 2>&1 || apt-get update -qq >&2
      (cd "$WORK/ruby-debs/debs" && apt-get -o APT::Sandbox::User=root -qq download ruby3.1 libruby3.1 ruby-rubygems \
        rubygems-integration ruby-bundler ruby-rack puma ruby-nio4r rake ruby-webrick ruby-sdbm libyaml-0-2 >&2)
      for f in "$WORK"/ruby-debs/debs/*.deb; do dpkg-deb -x "$f" "$x"; done
      rm -f "$WORK"/ruby-debs/debs/*.deb
    fi
    d=$WORK/rootfs; new_root "$d"; add_debian_shell "$d"; users_debian "$d"
    (cd "$x" && tar -cf - usr/bin/ruby3.1 usr/bin/bundle usr/bin/bundler usr/bin/gem usr/lib/ruby usr/lib/x86_64-linux-gnu/ruby \
      usr/lib/x86_64-linux-gnu/libruby-3.1.so.3.1 usr/lib/x86_64-linux-gnu/libruby-3.1.so.3.1.2 usr/share/rubygems-integration \
      usr/lib/x86_64-linux-gnu/rubygems-integration usr/lib/x86_64-linux-gnu/libyaml-0.so.2 usr/lib/x86_64-linux-gnu/libyaml-0.so.2.0.9) |
      tar -C "$d" -xf -
    ln -s ruby3.1 "$d/usr/bin/ruby"
    for b in ruby bundle bundler gem; do ln -s "/usr/bin/$b" "$d/usr/local/bin/$b"; done
    svc_libs "$d" "$x" "$x/usr/bin/ruby3.1" $(find "$x/usr/lib/x86_64-linux-gnu" -name '*.so' -path '*ruby*')
    # the pinned gems, installed in the bundle path (deployment mode: /usr/local/bundle/ruby/<abi>)
    m=$d/usr/local/bundle/ruby/3.1.0; mkdir -p "$m/gems" "$m/specifications" "$m/extensions/x86_64-linux/3.1.0"
    for g in puma-5.6.5 nio4r-2.5.8; do
      cp -a "$x$rg/gems/$g" "$m/gems/"; cp "$x$rg/specifications/$g.gemspec" "$m/specifications/"
      cp -a "$x$rg/extensions/x86_64-linux/3.1.0/$g" "$m/extensions/x86_64-linux/3.1.0/"
    done
    cp -a "$x$ag/gems/rack-2.2.22" "$m/gems/"; cp "$x$ag/specifications/rack-2.2.22.gemspec" "$m/specifications/"
    # the executables `gem install` would have written into the bundle's bin/ (bundle exec runs them from there)
    mkdir -p "$m/bin"
    local exe gem ver
    while read -r exe gem ver; do
      printf '#!/usr/bin/env ruby\nrequire "rubygems"\nload Gem.bin_path("%s", "%s", "%s")\n' "$gem" "$exe" "$ver" > "$m/bin/$exe"
      chmod 755 "$m/bin/$exe"
    done <<'EOS'
puma puma 5.6.5
pumactl puma 5.6.5
rackup rack 2.2.22
EOS
    # apt-get: the generated build stage installs a compiler toolchain; nothing is compiled here
    cat > "$d/usr/bin/apt-get" <<'EOS'
#!/bin/sh
# apt-get (e2e stand-in): offline; "update" and installs of the Ruby toolchain packages succeed as no-ops
case "$1" in update) exit 0 ;; esac
for p in "$@"; do case "$p" in install|-y|-q*|--no-install-recommends|build-essential|git|libyaml-dev|pkg-config) ;;
  *) echo "apt-get (e2e stand-in): cannot install $p offline" >&2; exit 100 ;; esac; done
exit 0
EOS
    chmod 755 "$d/usr/bin/apt-get"; mkdir -p "$d/etc/apt/apt.conf.d" "$d/var/lib/apt/lists" "$d/var/cache/apt"
    : > "$d/etc/apt/apt.conf.d/docker-clean"
    import_img "$d" "$t" "ENV PATH=/usr/local/bundle/bin:$P" "ENV LANG=C.UTF-8" "ENV RUBY_VERSION=3.1.2" \
      "ENV GEM_HOME=/usr/local/bundle" "ENV BUNDLE_SILENCE_ROOT_WARNING=1" "ENV BUNDLE_APP_CONFIG=/usr/local/bundle" "CMD [\"irb\"]"
  fi
  for m in 3.3 4.0; do alias "$t" "$H/ruby:$m-slim-bookworm"; done
}
images_ruby
