package dev.kbi.common.service;

import dev.kbi.common.runtime.StageRunner;
import java.util.Optional;

/** A service bean that runs a stage; {@link StageLiveness} checks every such bean. */
public interface StageHost {

    /** The running stage, or empty while the service has not started it (e.g. no model yet). */
    Optional<StageRunner> stageRunner();
}
