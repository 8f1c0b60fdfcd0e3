#!/usr/bin/perl
# A small HTTP CONNECT proxy for the tests, on 127.0.0.1: writes its port
# to PORTFILE, and a line per CONNECT to LOG ("CONNECT host:port STATUS").
#
#   connect_proxy.pl PORTFILE LOG [--auth USER:PASSWORD] [--allow-port N]
#
# With --auth, a CONNECT without those credentials gets 407; with
# --allow-port, a CONNECT to another port gets 403. One process per
# connection; the tunnel relays bytes both ways until either side closes.
use strict;
use warnings;
use IO::Socket::INET;
use IO::Select;
use MIME::Base64 qw(encode_base64);
use POSIX ();

my ($portfile, $log, @opts) = @ARGV;
my ($auth, $allow_port);
while (@opts) {
	my $o = shift @opts;
	if ($o eq '--auth') { $auth = shift @opts }
	elsif ($o eq '--allow-port') { $allow_port = shift @opts }
	else { die "connect_proxy: unknown option $o\n" }
}
$SIG{CHLD} = 'IGNORE';
my $server = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0,
	Listen => 16, ReuseAddr => 1) or die "connect_proxy: listen: $!\n";
open(my $pf, '>', "$portfile.tmp") or die;
print $pf $server->sockport, "\n";
close $pf;
rename "$portfile.tmp", $portfile;

sub note {
	open(my $l, '>>', $log) or return;
	print $l "@_\n";
	close $l;
}

sub answer {
	my ($c, $status, $text) = @_;
	print $c "HTTP/1.1 $status $text\r\nContent-Length: 0\r\n"
	       . ($status == 407 ? "Proxy-Authenticate: Basic realm=\"tests\"\r\n" : "")
	       . "\r\n";
}

sub relay {
	my ($a, $b) = @_;
	my $sel = IO::Select->new($a, $b);
	while (1) {
		for my $from ($sel->can_read) {
			my $to = $from == $a ? $b : $a;
			my $n = sysread($from, my $buf, 65536);
			return if !$n;
			my $off = 0;
			while ($off < $n) {
				my $w = syswrite($to, $buf, $n - $off, $off);
				return if !defined $w;
				$off += $w;
			}
		}
	}
}

sub serve {
	my ($c) = @_;
	my $head = '';
	while ($head !~ /\r\n\r\n/) {
		my $n = sysread($c, my $buf, 1);
		return if !$n;
		$head .= $buf;
		return if length($head) > 16384;
	}
	my ($target) = $head =~ /^CONNECT (\S+) HTTP/ or do {
		note("NOT-CONNECT 405"); answer($c, 405, "Method Not Allowed"); return;
	};
	my ($port) = $target =~ /:(\d+)$/;
	if (defined $auth) {
		my $want = encode_base64($auth, '');
		if ($head !~ /^Proxy-Authorization: Basic \Q$want\E\r$/mi) {
			note("CONNECT $target 407"); answer($c, 407, "Proxy Authentication Required"); return;
		}
	}
	if (defined $allow_port && (!defined $port || $port != $allow_port)) {
		note("CONNECT $target 403"); answer($c, 403, "Forbidden"); return;
	}
	(my $host = $target) =~ s/:\d+$//;
	$host =~ s/^\[(.*)\]$/$1/;
	my $up = IO::Socket::INET->new(PeerAddr => $host, PeerPort => $port) or do {
		note("CONNECT $target 502"); answer($c, 502, "Bad Gateway"); return;
	};
	note("CONNECT $target 200");
	print $c "HTTP/1.1 200 Connection established\r\n\r\n";
	relay($c, $up);
}

while (1) {
	my $c = $server->accept or next;
	$c->autoflush(1);
	my $pid = fork;
	if (defined $pid && $pid == 0) {
		$server->close;
		serve($c);
		POSIX::_exit(0);
	}
	$c->close;
}
