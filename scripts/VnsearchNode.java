/*
 * One OpenSearch node in its own JVM, for scripts/opensearch-cluster (vnsearch's dev and test cluster).
 *
 * Maven Central serves the OpenSearch server and its modules as plain jars, not as the packaged
 * distribution with a modules/ folder, so this launcher puts the modules on the classpath and hands
 * their plugin classes to the node, as OpenSearch's own test nodes do. It skips the distribution's
 * bootstrap (security manager, refusal to run as root, production checks), which the packaged
 * server needs but a loopback-only test node does not.
 *
 * Usage: java -cp LIB/*:CLASSES VnsearchNode NODE_HOME OWNER_PID PLUGIN_CLASS...
 * NODE_HOME holds config/opensearch.yml and config/log4j2.properties. OWNER_PID 0 means none;
 * otherwise the node shuts itself down when that process ends (a test run killed with -9 leaves
 * no node behind).
 */

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;

public final class VnsearchNode extends Node {

    private VnsearchNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
        super(environment, plugins, true);
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: VnsearchNode NODE_HOME OWNER_PID PLUGIN_CLASS...");
            System.exit(2);
        }
        Path home = Paths.get(args[0]).toAbsolutePath();
        long ownerPid = Long.parseLong(args[1]);
        List<Class<? extends Plugin>> plugins = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            plugins.add(Class.forName(args[i]).asSubclass(Plugin.class));
        }

        Settings initial = Settings.builder().put("path.home", home.toString()).build();
        Environment environment = InternalSettingsPreparer.prepareEnvironment(
            initial, Collections.emptyMap(), home.resolve("config"), () -> "node");
        LogConfigurator.registerErrorListener();
        LogConfigurator.setNodeName(Node.NODE_NAME_SETTING.get(environment.settings()));
        LogConfigurator.configure(environment);

        Node node = new VnsearchNode(environment, plugins);
        // The JVM stays up on this latch: the node's own threads may all be daemon threads.
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                Configurator.shutdown((LoggerContext) LogManager.getContext(false));
                stopped.countDown();
            }
        }, "vnsearch-node-shutdown"));

        try {
            node.start();
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
        if (ownerPid > 0) {
            ProcessHandle.of(ownerPid).ifPresentOrElse(
                owner -> owner.onExit().thenRun(() -> System.exit(0)),
                () -> System.exit(0));
        }
        stopped.await();
    }
}
