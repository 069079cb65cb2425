// test/clients/ReportColumns.java: what a BI tool sees of the reporting views
// through the Debian PostgreSQL JDBC driver (libpostgresql-jdbc-java), and
// what a Java client must do for kpi.tally (doc/clients.md).
//
//   java -cp /usr/share/java/postgresql.jar:. ReportColumns JDBC-URL
//
// Prints one line per check, "ok - ..." or "not ok - ...", for
// test/cluster/clients.sh to count; exits 0 (the counts decide).
import java.math.BigDecimal;
import java.sql.*;
import java.time.LocalDate;
import java.util.*;
import org.postgresql.util.PGobject;

public class ReportColumns {
	static int failed = 0;

	static void check(boolean ok, String what) {
		System.out.println((ok ? "ok - " : "not ok - ") + what);
		if (!ok) failed++;
	}

	public static void main(String[] args) throws Exception {
		String url = args[0];
		try (Connection c = DriverManager.getConnection(url)) {
			columns(c);
			scores(c, "text protocol");
			tally(c, "text protocol");
		}
		// binary transfer for every type the driver knows, from the first use
		try (Connection c = DriverManager.getConnection(url + "&prepareThreshold=-1&binaryTransfer=true")) {
			scores(c, "binary protocol");
			dates(c);
			tally(c, "binary protocol");
		}
		// binaryTransferEnable naming the tally's OID makes the driver ask for
		// the binary form, which it cannot decode: getString is then no longer
		// the text form (doc/clients.md: do not list kpi.tally there)
		String oid;
		try (Connection c = DriverManager.getConnection(url);
		     Statement s = c.createStatement();
		     ResultSet r = s.executeQuery("SELECT 'kpi.tally'::regtype::oid")) {
			r.next(); oid = r.getString(1);
		}
		try (Connection c = DriverManager.getConnection(url + "&prepareThreshold=-1&binaryTransferEnable=" + oid);
		     Statement s = c.createStatement();
		     ResultSet r = s.executeQuery("SELECT tally, tally::text FROM kpi.official_result WHERE tally IS NOT NULL LIMIT 1")) {
			r.next();
			String got = r.getString(1);
			check(!r.getString(2).equals(got),
			      "with binaryTransferEnable=" + oid + " (kpi.tally) getString is not the text form: " + got);
		}
		System.out.println("# " + failed + " failed");
	}

	// Every column of every view of kpi_report: a JDBC type a BI tool can show
	// (never OTHER, ARRAY, STRUCT, DISTINCT or JAVA_OBJECT), numeric precision
	// and scale as declared in the catalog, and a bilingual comment.
	static void columns(Connection c) throws SQLException {
		Map<String, int[]> declared = new HashMap<>();
		try (Statement s = c.createStatement();
		     ResultSet r = s.executeQuery(
			"SELECT table_name || '.' || column_name, numeric_precision, numeric_scale " +
			"FROM information_schema.columns WHERE table_schema = 'kpi_report' AND data_type = 'numeric'")) {
			while (r.next()) declared.put(r.getString(1), new int[] {r.getInt(2), r.getInt(3)});
		}
		DatabaseMetaData md = c.getMetaData();
		List<String> views = new ArrayList<>();
		try (ResultSet t = md.getTables(null, "kpi_report", "%", new String[] {"VIEW"})) {
			while (t.next()) views.add(t.getString("TABLE_NAME"));
		}
		check(views.size() >= 11, "getTables finds the " + views.size() + " views of kpi_report");
		Set<Integer> bad = Set.of(Types.OTHER, Types.ARRAY, Types.STRUCT, Types.DISTINCT, Types.JAVA_OBJECT,
		                          Types.NULL, Types.REF);
		int columns = 0, numerics = 0;
		for (String v : views) {
			List<String> problems = new ArrayList<>();
			try (ResultSet col = md.getColumns(null, "kpi_report", v, "%")) {
				while (col.next()) {
					columns++;
					String name = col.getString("COLUMN_NAME");
					int type = col.getInt("DATA_TYPE");
					String typeName = col.getString("TYPE_NAME");
					if (bad.contains(type) || typeName.contains("."))
						problems.add(name + " is JDBC type " + type + " (" + typeName + ")");
					if (type == Types.NUMERIC || type == Types.DECIMAL) {
						numerics++;
						int[] d = declared.get(v + "." + name);
						int size = col.getInt("COLUMN_SIZE"), digits = col.getInt("DECIMAL_DIGITS");
						if (d == null || d[0] == 0 || size != d[0] || digits != d[1])
							problems.add(name + " is numeric(" + size + "," + digits + "), declared " +
							             (d == null ? "without precision" : "(" + d[0] + "," + d[1] + ")"));
					}
					String remarks = col.getString("REMARKS");
					if (remarks == null || !remarks.contains(" / "))
						problems.add(name + " has no English / Vietnamese comment");
				}
			}
			// what a query returns agrees with the catalog
			try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT * FROM kpi_report." + v)) {
				ResultSetMetaData rm = r.getMetaData();
				for (int i = 1; i <= rm.getColumnCount(); i++) {
					int[] d = declared.get(v + "." + rm.getColumnName(i));
					if (d != null && (rm.getPrecision(i) != d[0] || rm.getScale(i) != d[1]))
						problems.add(rm.getColumnName(i) + ": ResultSetMetaData says (" + rm.getPrecision(i) + "," +
						             rm.getScale(i) + ")");
					if (bad.contains(rm.getColumnType(i)))
						problems.add(rm.getColumnName(i) + ": ResultSetMetaData type " + rm.getColumnType(i));
				}
			}
			check(problems.isEmpty(), "kpi_report." + v + ": every column typed for BI tools" +
			      (problems.isEmpty() ? "" : ": " + String.join("; ", problems)));
		}
		check(columns >= 150 && numerics == declared.size(),
		      columns + " columns; the " + numerics + " numeric ones are the " + declared.size() + " of the catalog");
	}

	// Scores read as exact BigDecimal with scale 2, equal to the server's text.
	static void scores(Connection c, String mode) throws SQLException {
		int rows = 0, wrong = 0;
		try (PreparedStatement p = c.prepareStatement(
			"SELECT score, score::text, quota_rate_pct, quota_rate_pct::text FROM kpi_report.official_result " +
			"WHERE score IS NOT NULL ORDER BY official_id, period_start, period_kind");
		     ResultSet r = p.executeQuery()) {
			while (r.next()) {
				rows++;
				BigDecimal score = r.getBigDecimal(1);
				if (score.scale() != 2 || score.compareTo(new BigDecimal(r.getString(2))) != 0 ||
				    !(r.getObject(1) instanceof BigDecimal))
					wrong++;
				if (r.getString(4) != null && r.getBigDecimal(3).compareTo(new BigDecimal(r.getString(4))) != 0)
					wrong++;
			}
		}
		check(rows > 0 && wrong == 0, mode + ": " + rows + " scores read as BigDecimal of scale 2, exactly the server's");
		try (Statement s = c.createStatement();
		     ResultSet r = s.executeQuery("SELECT sum(score), sum(score)::text FROM kpi_report.official_result")) {
			r.next();
			check(r.getBigDecimal(1).compareTo(new BigDecimal(r.getString(2))) == 0,
			      mode + ": the sum of the scores is exact (" + r.getBigDecimal(1) + ")");
		}
	}

	// kpi.tally: the driver does not know the type; getObject gives a PGobject
	// whose value is the text form; in binary mode ask for tally::text.
	static void tally(Connection c, String mode) throws SQLException {
		try (Statement s = c.createStatement();
		     ResultSet r = s.executeQuery("SELECT tally, tally::text FROM kpi.official_result WHERE tally IS NOT NULL LIMIT 1")) {
			check(r.next(), mode + ": a stored kpi.tally to read");
			Object o = r.getObject(1);
			check(o instanceof PGobject && r.getString(2).equals(((PGobject) o).getValue()),
			      mode + ": kpi.tally reads as a PGobject holding its text form (" + (o == null ? null : o.getClass().getName()) + ")");
			check(r.getMetaData().getColumnType(1) == Types.OTHER,
			      mode + ": kpi.tally is JDBC type OTHER in kpi (which is why kpi_report has no tally column)");
		}
		// a PGobject of type kpi.tally binds as a parameter (the type has no
		// equality operator: compare text forms)
		try (PreparedStatement p = c.prepareStatement(
			"SELECT count(*) FROM kpi.official_result WHERE tally::text = (?)::text")) {
			PGobject t = new PGobject();
			t.setType("kpi.tally");
			try (Statement s = c.createStatement();
			     ResultSet r = s.executeQuery("SELECT tally::text FROM kpi.official_result WHERE tally IS NOT NULL LIMIT 1")) {
				r.next(); t.setValue(r.getString(1));
			}
			p.setObject(1, t);
			try (ResultSet r = p.executeQuery()) {
				r.next();
				check(r.getLong(1) >= 1, mode + ": a PGobject of type kpi.tally binds as a parameter");
			}
		}
	}

	// Dates are dates: under TZ=Asia/Ho_Chi_Minh (user.timezone) the first day
	// of a period stays the first day, as LocalDate and as java.sql.Date.
	static void dates(Connection c) throws SQLException {
		try (PreparedStatement p = c.prepareStatement(
			"SELECT period_start, period_end, period_start::text FROM kpi_report.period WHERE period_key = '2026-01'");
		     ResultSet r = p.executeQuery()) {
			check(r.next(), "the period 2026-01 in kpi_report.period");
			check(r.getObject(1, LocalDate.class).equals(LocalDate.of(2026, 1, 1)) &&
			      r.getObject(2, LocalDate.class).equals(LocalDate.of(2026, 1, 31)) &&
			      r.getDate(1).toString().equals(r.getString(3)),
			      "dates under " + TimeZone.getDefault().getID() + ": " + r.getObject(1, LocalDate.class) + " .. " +
			      r.getObject(2, LocalDate.class));
		}
	}
}
