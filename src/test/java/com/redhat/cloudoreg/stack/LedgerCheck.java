package com.redhat.cloudoreg.stack;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The ledger of a batch of creates, counted rather than sampled: for every create produced, its
 * final statuses (duplicates allowed only when identical) and its dead letters.
 */
public record LedgerCheck(
    int produced, int finished, int statuses, int differingDuplicates, int deadLetters) {

  public static LedgerCheck of(List<CustomerSource> customers) {
    int finished = 0;
    int statuses = 0;
    int differing = 0;
    int deadLetters = 0;
    for (CustomerSource customer : customers) {
      List<ConsumerRecord<String, String>> mine = customer.statuses();
      statuses += mine.size();
      if (!mine.isEmpty()) {
        finished++;
      }
      if (mine.stream().map(ConsumerRecord::value).collect(Collectors.toSet()).size() > 1) {
        differing++;
      }
      deadLetters += customer.deadLetters().size();
    }
    return new LedgerCheck(customers.size(), finished, statuses, differing, deadLetters);
  }

  public boolean everyCreateFinished() {
    return finished == produced;
  }

  @Override
  public String toString() {
    return String.format(
        "produced=%d finished=%d statuses=%d duplicates=%d differing=%d deadLetters=%d",
        produced, finished, statuses, statuses - finished, differingDuplicates, deadLetters);
  }
}
