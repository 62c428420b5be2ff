package com.posthog.flink.db;

import com.posthog.flink.config.Settings.PostgresConnection;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Postgres connection per user (operator subtask or sink writer), reopened when it breaks.
 *
 * <p>Infrastructure failures are retried a few times with backoff and then thrown, so that Flink
 * restores from the last checkpoint; they are never turned into dead letters.
 */
public final class PostgresClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresClient.class);
    private static final int ATTEMPTS = 4;

    private final PostgresConnection connection;
    private Connection current;

    public PostgresClient(PostgresConnection connection) {
        this.connection = connection;
    }

    /** Work on a connection; a data error is the caller's, a broken connection is retried. */
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    public <T> T execute(Work<T> work) throws SQLException {
        SQLException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                return work.run(connection());
            } catch (SQLException e) {
                if (!isConnectionProblem(e)) {
                    throw e;
                }
                last = e;
                LOG.warn(
                        "Postgres at {} failed (attempt {} of {}): {}",
                        connection,
                        attempt,
                        ATTEMPTS,
                        e.getMessage());
                closeQuietly();
                sleep(500L << attempt);
            }
        }
        throw last;
    }

    /** Work on a connection inside a transaction. */
    @FunctionalInterface
    public interface TransactionWork {
        void run() throws SQLException;
    }

    /**
     * Runs the work in one transaction of the connection: committed, or rolled back if it throws.
     */
    public static void inTransaction(Connection connection, TransactionWork work)
            throws SQLException {
        connection.setAutoCommit(false);
        try {
            work.run();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /**
     * SQLSTATE class 08 (connection), 53 (resources), 57 (operator intervention) and transients.
     */
    public static boolean isConnectionProblem(SQLException e) {
        String state = sqlState(e);
        return e instanceof SQLTransientException
                || state == null
                || state.startsWith("08")
                || state.startsWith("53")
                || state.startsWith("57");
    }

    /** The SQLSTATE of an error; for a failed batch, that of the statement that failed. */
    public static String sqlState(SQLException e) {
        if (e instanceof java.sql.BatchUpdateException && e.getNextException() != null) {
            return e.getNextException().getSQLState();
        }
        return e.getSQLState();
    }

    private Connection connection() throws SQLException {
        if (current == null || current.isClosed()) {
            Properties properties = new Properties();
            properties.setProperty("user", connection.user());
            if (!connection.password().isEmpty()) {
                properties.setProperty("password", connection.password());
            }
            properties.setProperty("connectTimeout", "10");
            properties.setProperty("ApplicationName", "posthog-plugin-server-flink");
            current = DriverManager.getConnection(connection.jdbcUrl(), properties);
        }
        return current;
    }

    private void closeQuietly() {
        try {
            if (current != null) {
                current.close();
            }
        } catch (SQLException ignored) {
            // The connection is being replaced because it broke.
        }
        current = null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
