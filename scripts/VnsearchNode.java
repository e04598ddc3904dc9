/*
 * One OpenSearch node in its own JVM, for scripts/opensearch-cluster (vnsearch's dev and test cluster).
 *
 * Maven Central serves the OpenSearch server and its modules as plain jars, not as the packaged
 * distribution with a modules/ folder, so this launcher puts the modules on the classpath and hands
 * their plugin classes to the node, as OpenSearch's own test nodes do. It skips the distribution's
 * bootstrap (security manager, refusal to run as root, production checks), which the packaged
 * server needs but a loopback-only test node does not.
 *
 * Node's constructor for classpath plugins takes the plugin classes in OpenSearch 2.x and their
 * PluginInfo in 3.x; the launcher asks which by reflection, so one source serves both.
 *
 * Usage: java -cp LIB/*:CLASSES VnsearchNode NODE_HOME OWNER_PID PLUGIN_CLASS...
 * NODE_HOME holds config/opensearch.yml and config/log4j2.properties. OWNER_PID 0 means none;
 * otherwise the node shuts itself down when that process ends (a test run killed with -9 leaves
 * no node behind).
 */

import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
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
import org.opensearch.Version;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.PluginInfo;

public final class VnsearchNode {

    private VnsearchNode() {}

    /** A node with these classpath plugins, through Node's protected constructor (2.x or 3.x form). */
    static Node newNode(Environment environment, List<Class<? extends Plugin>> plugins) throws Exception {
        Constructor<Node> constructor = Node.class.getDeclaredConstructor(Environment.class, Collection.class, boolean.class);
        constructor.setAccessible(true);
        Type element = ((ParameterizedType) constructor.getGenericParameterTypes()[1]).getActualTypeArguments()[0];
        Collection<?> given = plugins;
        if (element == PluginInfo.class) {
            List<PluginInfo> infos = new ArrayList<>();
            for (Class<? extends Plugin> plugin : plugins) {
                infos.add(new PluginInfo(plugin.getName(), "classpath plugin", "NA", Version.CURRENT, "1.8",
                    plugin.getName(), null, Collections.emptyList(), false));
            }
            given = infos;
        }
        return constructor.newInstance(environment, given, true);
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

        Node node = newNode(environment, plugins);
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
