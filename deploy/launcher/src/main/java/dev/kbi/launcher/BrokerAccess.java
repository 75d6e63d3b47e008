package dev.kbi.launcher;

import dev.kbi.localkafka.LocalKafkaBroker;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * Access control on the local broker, as a cluster operator sets it up: broker settings (an authorizer,
 * its super users), what is created with an admin client before the services start (users and their ACLs,
 * as Strimzi's User Operator does), and the settings each service logs in with (its own user, as a
 * Kubernetes pod takes its credentials from its user's Secret). {@link #OPEN}, the default, changes
 * nothing: every service logs in with the run's settings, and no authorizer runs.
 */
public interface BrokerAccess {

    /** No authorizer, no users beyond the run's own. */
    BrokerAccess OPEN = new BrokerAccess() {
    };

    /** The broker's options with this access control's settings. */
    default LocalKafkaBroker.Options configure(LocalKafkaBroker.Options broker) {
        return broker;
    }

    /** Creates users, ACLs, anything the services need to exist; runs once the topics exist, as the run's user. */
    default void prepare(Admin admin) throws Exception {
    }

    /**
     * Environment variables over the run's for {@code service} ({@code reader}, {@code preprocessor},
     * {@code inference}, {@code writer}), e.g. its own {@code KAFKA_SASL_JAAS_CONFIG}.
     */
    default Map<String, String> serviceEnvironment(String service) {
        return Map.of();
    }
}
