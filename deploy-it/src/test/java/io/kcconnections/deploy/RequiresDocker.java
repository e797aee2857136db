package io.kcconnections.deploy;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Runs a test class only where Testcontainers finds a Docker engine; elsewhere it is skipped with the reason printed
 * in the build's output (a skipped count alone would read like "ran no test").
 */
public class RequiresDocker implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        boolean available;
        try {
            available = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            available = false;
        }
        if (available) {
            return ConditionEvaluationResult.enabled("a Docker engine is available");
        }
        String reason = "SKIPPED " + context.getDisplayName() + ": no Docker engine here (Testcontainers found none), "
                + "so the image is not started; docker/ is still checked by the plain tests of deploy-it";
        System.out.println("[deploy-it] " + reason);
        return ConditionEvaluationResult.disabled(reason);
    }
}
