#!/usr/bin/perl
# The independent SMSC of `npm run bench:sms` (bench/sms.bench.ts): the server side of Debian's Net::SMPP
# (libnet-smpp-perl, installed by scripts/setup.sh), the kind of SMSC issue 15's figures were measured
# against. `perl bench/support/net-smpp-smsc.pl` listens on 127.0.0.1, a port of the kernel's choosing,
# and prints that port on stdout, alone on a line. Per connection: answers bind_transceiver /
# bind_transmitter / bind_receiver, each submit_sm with a submit_sm_resp carrying a fresh message_id,
# then, when registered_delivery asks for one, a delivery receipt (deliver_sm, esm_class 0x04, the text
# form `id:… sub:001 dlvrd:001 submit date:… done date:… stat:DELIVRD err:000 text:…`); answers
# enquire_link and unbind, ignores deliver_sm_resp, generic_nacks anything else. No logging per PDU.
#
# Net::SMPP reads a PDU blocking (read_pdu), so each connection gets a process of its own (fork): several
# binds are served at once. SIGTERM to this process ends its connections' processes too.
use strict;
use warnings;
use Net::SMPP;
use POSIX ();

$| = 1;
# async => 1: the receipt's deliver_sm is written without waiting for its deliver_sm_resp (the client's
# answers come in the same read loop, and are ignored there). Accepted sockets copy these settings.
my $listener = Net::SMPP->new_listen('127.0.0.1', port => 0, async => 1, system_id => 'net-smpp-smsc')
  or die "net-smpp-smsc: cannot listen: $!\n";
print $listener->sockport, "\n";

my %children;
$SIG{CHLD} = sub {
  while ((my $pid = waitpid(-1, POSIX::WNOHANG())) > 0) { delete $children{$pid}; }
};
$SIG{TERM} = $SIG{INT} = sub {
  kill 'TERM', keys %children;
  exit 0;
};

while (1) {
  my $conn = $listener->accept;
  if (!$conn) {
    # EINTR: a child ended; ETIMEDOUT: IO::Socket's accept gives up after the listener's `timeout` (5 s).
    next if $!{EINTR} || $!{ETIMEDOUT};
    die "net-smpp-smsc: accept failed: $!\n";
  }
  my $pid = fork;
  die "net-smpp-smsc: fork failed: $!\n" unless defined $pid;
  if ($pid) {
    $children{$pid} = 1;
    close $conn;
    next;
  }
  $SIG{TERM} = $SIG{INT} = 'DEFAULT';
  # Net::SMPP warns when the peer closes between PDUs: that is how a client that did not unbind leaves.
  $SIG{__WARN__} = sub { warn @_ unless $_[0] =~ /premature eof|error reading header/ };
  close $listener;
  serve($conn);
  POSIX::_exit(0);
}

sub stamp {
  my @t = localtime;
  return sprintf('%02d%02d%02d%02d%02d', $t[5] % 100, $t[4] + 1, $t[3], $t[2], $t[1]);
}

sub serve {
  my ($smpp) = @_;
  # The socket as Net::SMPP leaves it (Nagle on): setting TCP_NODELAY here changed nothing measurable
  # (src/sms/README.md, "Throughput").
  # Fresh ids per process: the pid keeps two connections' ids apart, the counter one connection's.
  my $next = 0;
  my $prefix = sprintf('%x', $$);
  while (my $pdu = $smpp->read_pdu) {
    my $cmd = $pdu->{cmd};
    my $seq = $pdu->{seq};
    if ($cmd == Net::SMPP::CMD_submit_sm) {
      my $id = sprintf('%s%08x', $prefix, ++$next);
      $smpp->submit_sm_resp(seq => $seq, message_id => $id);
      if ((($pdu->{registered_delivery} // 0) & 0x03) == 0x01) {
        my $when = stamp();
        my $text = substr($pdu->{short_message} // '', 0, 20);
        $smpp->deliver_sm(
          source_addr_ton => $pdu->{dest_addr_ton},
          source_addr_npi => $pdu->{dest_addr_npi},
          source_addr => $pdu->{destination_addr},
          dest_addr_ton => $pdu->{source_addr_ton},
          dest_addr_npi => $pdu->{source_addr_npi},
          destination_addr => $pdu->{source_addr},
          esm_class => 0x04,
          registered_delivery => 0,
          data_coding => 0,
          short_message => "id:$id sub:001 dlvrd:001 submit date:$when done date:$when stat:DELIVRD err:000 text:$text",
        );
      }
    } elsif ($cmd == Net::SMPP::CMD_deliver_sm_resp) {
      # The client's answer to a receipt: nothing to do.
    } elsif ($cmd == Net::SMPP::CMD_enquire_link) {
      $smpp->enquire_link_resp(seq => $seq);
    } elsif ($cmd == Net::SMPP::CMD_bind_transceiver) {
      $smpp->bind_transceiver_resp(seq => $seq);
    } elsif ($cmd == Net::SMPP::CMD_bind_transmitter) {
      $smpp->bind_transmitter_resp(seq => $seq);
    } elsif ($cmd == Net::SMPP::CMD_bind_receiver) {
      $smpp->bind_receiver_resp(seq => $seq);
    } elsif ($cmd == Net::SMPP::CMD_unbind) {
      $smpp->unbind_resp(seq => $seq);
      last;
    } elsif (($cmd & 0x80000000) == 0) {
      # ESME_RINVCMDID (0x03): a request this SMSC does not serve.
      $smpp->generic_nack(seq => $seq, status => 0x03);
    }
  }
  close $smpp;
}
